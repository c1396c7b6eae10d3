-- 002: the defaults of SPEC §2-§4. Every value here can be changed by an admin afterwards
-- (funnel config set, channel add, reason add, stage edit).

INSERT INTO config (key, value) VALUES
	('lang', 'zh'),
	('timezone', 'Asia/Shanghai'),
	('currency', 'CNY'),
	('calendar.workweek', 'mon,tue,wed,thu,fri'),
	('score.weight.budget', '1'),
	('score.weight.need', '1'),
	('score.weight.decision', '1'),
	('score.weight.urgency', '1'),
	('score.grade_a_min', '15'),
	('score.grade_b_min', '8'),
	('sla.a_hours', '48'),
	('sla.b_working_days', '3'),
	('nurture.touch_days', '14'),
	('nurture.reevaluate_days', '30'),
	('clean.test_words', '测试,test,asdf,xxx,qwer'),
	('clean.phone_blocklist', '13800138000'),
	('clean.target_industries', '');

INSERT INTO pipeline (id, key, name_zh, name_en) VALUES (1, 'default', '默认销售流程', 'Default pipeline');

INSERT INTO stage (pipeline_id, pos, key, name_zh, name_en, probability) VALUES
	(1, 1, 'acquire',   '潜在客户获取',   'Lead acquisition',        5),
	(1, 2, 'qualify',   '意向客户筛选',   'Qualification',           10),
	(1, 3, 'discover',  '需求深度挖掘',   'Needs discovery',         25),
	(1, 4, 'propose',   '方案制定与呈现', 'Solution & presentation', 50),
	(1, 5, 'negotiate', '商务谈判与促单', 'Negotiation & closing',   75),
	(1, 6, 'won',       '成交转化与售后', 'Deal & after-sales',      100);

INSERT INTO channel (key, name_zh, name_en, kind) VALUES
	('vertical_media',    '行业垂直媒体',   'Industry media',      'online'),
	('sem',               '搜索引擎关键词', 'Search keywords',     'online'),
	('social',            '社交媒体',       'Social media',        'online'),
	('website',           '官网留资',       'Website form',        'online'),
	('trade_show',        '行业展会',       'Trade show',          'offline'),
	('partner_referral',  '合作伙伴转介绍', 'Partner referral',    'offline'),
	('salon',             '线下沙龙',       'Seminar',             'offline'),
	('customer_referral', '客户转介绍',     'Customer referral',   'customer'),
	('repurchase',        '复购',           'Repurchase',          'customer'),
	('other',             '其他',           'Other',               'offline');

INSERT INTO lost_reason (key, name_zh, name_en, pos) VALUES
	('price',             '价格',         'Price',             1),
	('competitor',        '竞争对手',     'Competitor',        2),
	('no_budget',         '无预算',       'No budget',         3),
	('no_decision_maker', '未接触决策人', 'No decision maker', 4),
	('timing',            '时机不成熟',   'Timing',            5),
	('no_response',       '客户无回应',   'No response',       6),
	('product_fit',       '产品不匹配',   'Product fit',       7),
	('other',             '其他',         'Other',             8);
