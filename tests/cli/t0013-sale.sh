#!/bin/sh
# shellcheck disable=SC2154 # getj assigns the variables it is given
# The sale after qualification through the CLI (SPEC §5, the stage gates of §2): discovery, the
# customer needs list in versions and its confirmation, the solution, quotes with the discount limit
# (exactly 15 % is within it, 15.01 % waits for a manager), obstacles, the deal that wins the lead,
# after-sales, repurchase and referral links both ways, the printable document, and --force by a
# manager (audited) but not by a consultant. Every refused command leaves the database unchanged.
. "$(dirname "$0")/lib.sh"

expect_ok f init
expect_ok f user add li --name 李娜 --role sales --team 华东一部
expect_ok f user add wang --name 王强 --role manager --team 华东一部
expect_ok f user add sun --name 孙丽 --role aftersales
expect_ok f lead add --company '苏州精工机械有限公司' --contact '周明' --title '采购经理' --channel trade_show \
	--phone 13912340001 --owner li --json
getj id '.id'
expect_ok f --as li lead score "$id" --budget 4 --need 4 --decision 4 --urgency 4
expect_ok f --as li --now 2026-11-27T11:00:00+08:00 lead move "$id" --to discover

# refused WORD CMD...: exit 1 naming WORD, and the database is exactly as it was
refused() {
	snapshot refused
	expect_error "$@"
	expect_unchanged refused
}

step 'the propose gate: no needs list, then an unconfirmed one'
refused "gate 'propose': no customer needs list" f --as li lead move "$id" --to propose
expect_stderr_contains "cannot move lead $id to 'propose'"
refused "gate 'propose'" f --as li lead move "$id" --to won
expect_stderr_contains "gate 'negotiate': no solution item"
expect_stderr_contains "gate 'won': no deal"

step 'discovery: preparation notes, purchase timeline, SPIN, decision chain'
expect_ok f --as li --now 2026-11-27T14:00:00+08:00 discovery note "$id" --background '国内数控机床前三' \
	--news '新工厂明年投产' --role influencer --decision-date 2027-01-15 --json
expect_json '.contact_role + " " + .contact_role_name.zh + " " + .decision_date' 'influencer 影响者 2027-01-15'
expect_json '.updated_at' '2026-11-27T14:00:00+08:00'
expect_ok f --as li discovery note "$id" --news '' --json
expect_json '.background + "|" + .news' '国内数控机床前三|'
refused 'role' f --as li discovery note "$id" --role boss
refused 'decision-date' f --as li discovery note "$id" --decision-date 2027-02-30
expect_usage 'nothing to record' f --as li discovery note "$id"
expect_ok f --as li discovery spin "$id" --kind S --question '目前用什么系统管理生产报表?' --answer 'Excel 手工汇总' --json
getj spin_s '.id'
expect_json '.kind + " " + .kind_name.en' 'S Situation'
expect_ok f --as li discovery spin "$id" --kind P --question '哪些环节最费时?' --answer '月底对账要三天' --json
getj spin_p '.id'
expect_ok f --as li discovery spin "$id" --kind I --question '拖下去影响什么?' --json
expect_ok f --as li discovery spin "$id" --kind N --question '实时看板有什么帮助?' --answer '当天就能调度' --json
getj spin_n '.id'
refused 'kind' f --as li discovery spin "$id" --kind X --question '?'
refused 'question' f --as li discovery spin "$id" --kind S --question '  '
expect_usage '--question is required' f --as li discovery spin "$id" --kind S
expect_ok f --as li discovery contact "$id" --name '吴总' --role decision_maker --title '总经理' \
	--phone '139-1234-0002' --email 'wu@jinggong.example' --json
getj boss '.id'
expect_json '.role_name.zh + " " + .phone' '决策者 13912340002'
refused 'role' f --as li discovery contact "$id" --name '某人' --role boss
refused 'phone' f --as li discovery contact "$id" --name '某人' --role user --phone 123
expect_ok f --as li discovery show "$id" --json
expect_json '[.spin[].kind] | join("")' 'SPIN'
expect_json '.contacts[0].name + " " + .prep.decision_date' '吴总 2027-01-15'
expect_ok f --as li --lang en discovery show "$id"
expect_stdout_contains 'Influencer (influencer)'
expect_stdout_contains 'Need-payoff'
expect_stdout_contains '吴总'

step 'the needs list: numbers N1, N2, ..., SPIN links, refused changes'
expect_ok f --as li --now 2026-11-27T15:00:00+08:00 needs add "$id" --text '生产报表自动汇总' --priority 1 \
	--spin "$spin_s,$spin_p" --json
expect_json '.version + 0' 1
expect_json '.confirmed' false
expect_json '.items[0].label + " " + (.items[0].spin | map(tostring) | join(","))' "N1 $spin_s,$spin_p"
expect_ok f --as li needs add "$id" --text '车间实时看板' --priority 2 --spin "#$spin_n" --json
expect_ok f --as li needs add "$id" --text '<b>移动审批</b>' --priority 3
expect_stdout_contains 'need N3 added'
refused 'priority' f --as li needs add "$id" --text '别的' --priority 4
refused 'spin' f --as li needs add "$id" --text '别的' --priority 2 --spin 999
refused 'spin' f --as li needs add "$id" --text '别的' --priority 2 --spin '1,x'
refused 'text' f --as li needs add "$id" --text ' ' --priority 2
refused 'need' f --as li needs edit "$id" N9 --text '没有这个'
expect_usage 'num' f --as li needs edit "$id" X3 --text '?'
expect_usage 'nothing to change' f --as li needs edit "$id" 2
expect_ok f --as li needs remove "$id" N3 --json
expect_json '[.items[].label] | join(",")' 'N1,N2'
# a number is never given twice, not even after a removal
expect_ok f --as li needs add "$id" --text '临时' --priority 3 --json
expect_json '[.items[].label] | join(",")' 'N1,N2,N4'
expect_ok f --as li needs remove "$id" 4 --json
expect_json '[.items[].label] | join(",")' 'N1,N2'
expect_ok f --as li needs list "$id"
expect_stdout_contains 'draft, not confirmed'

step 'confirmation by a contact of the decision chain; then the propose gate passes'
refused "gate 'propose': needs list not confirmed by the customer" f --as li lead move "$id" --to propose
refused 'how' f --as li needs confirm "$id" --how fax
refused 'contact' f --as li needs confirm "$id" --how phone --contact 999
refused 'at' f --as li needs confirm "$id" --how phone --at 2026-12-01T10:00:00+08:00
expect_ok f --as li --now 2026-11-27T16:30:00+08:00 needs confirm "$id" --how meeting --contact "$boss" \
	--at 2026-11-27T16:00:00+08:00 --json
expect_json '(.version|tostring) + " " + (.confirmed|tostring)' '1 true'
expect_json '.confirmed_at + " " + .confirmed_name + " " + .confirmed_how + " " + .recorded_by' \
	'2026-11-27T16:00:00+08:00 吴总 meeting li'
expect_json '.confirmed_contact' "$boss"
refused 'already confirmed' f --as li needs confirm "$id" --how phone
expect_ok f --as li --now 2026-11-27T17:00:00+08:00 lead move "$id" --to propose --json
expect_json '.stage' propose

step 'editing a confirmed list starts version 2, unconfirmed; history shows both'
expect_ok f --as li --now 2026-11-28T09:00:00+08:00 needs edit "$id" 2 --text '车间实时看板(含手机端)' --json
expect_json '(.version|tostring) + " " + (.confirmed|tostring)' '2 false'
expect_json '[.items[].text] | join("|")' '生产报表自动汇总|车间实时看板(含手机端)'
expect_json '.items[1].spin | length' 1
expect_ok f --as li needs edit "$id" N1 --priority 2 --spin '' --json
expect_json '(.version|tostring) + " " + (.items[0].priority|tostring) + " " + (.items[0].spin|length|tostring)' '2 2 0'
expect_ok f --as li needs history "$id" --json
expect_json '[.versions[] | (.version|tostring) + ":" + (.confirmed|tostring)] | join(",")' '1:true,2:false'
expect_json '.versions[0].items[1].text' '车间实时看板'
expect_json '.versions[0].items[0].priority' 1
expect_json '.versions[1].items[1].text' '车间实时看板(含手机端)'
expect_ok f --as li needs history "$id"
expect_stdout_contains 'Needs list v1: confirmed'
expect_stdout_contains 'Needs list v2: draft'
expect_ok f --as li needs list "$id" --version 1 --json
expect_json '.items[1].text + " " + (.confirmed|tostring)' '车间实时看板 true'
refused 'version' f --as li needs list "$id" --version 7
expect_ok f --as li needs list "$id"
expect_stdout_contains '(v1 confirmed'

step 'the document shows the confirmed version, never the draft'
expect_ok f --as li lead document "$id"
expect_stdout_contains '<!DOCTYPE html>'
expect_stdout_contains '苏州精工机械有限公司'
expect_stdout_contains '生产报表自动汇总'
expect_stdout_contains '车间实时看板</td>'
expect_stdout_not_contains '含手机端'
expect_stdout_contains '客户需求清单'

step 'the negotiate gate: a solution item'
refused "gate 'negotiate': no solution item" f --as li lead move "$id" --to negotiate
refused 'need' f --as li solution add "$id" --need N9 --function '?' --value '?'
refused 'need' f --as li solution add "$id" --need 'N' --function '?' --value '?'
refused 'unit' f --as li solution add "$id" --need 1 --function '报表模块' --value '省时' --figure 30
refused 'figure' f --as li solution add "$id" --need 1 --function '报表模块' --value '省时' --figure '30%' --unit %
refused 'value' f --as li solution add "$id" --need 1 --function '报表模块' --value ''
expect_usage '--function is required' f --as li solution add "$id" --need 1 --value '省时'
expect_ok f --as li --now 2026-11-28T10:00:00+08:00 solution add "$id" --need N1 --function '多数据源报表模块' \
	--value '月底对账从三天缩短到半天' --figure 80 --unit '%' --case '无锡某机床厂' --json
expect_json '(.need_num|tostring) + " " + .need + " " + .figure + .unit' '1 生产报表自动汇总 80%'
expect_ok f --as li solution add "$id" --need 2 --function '车间看板' --value '当天调度' --json
expect_json '.figure + "|" + .unit' '|'
expect_json '.need' '车间实时看板(含手机端)'
refused 'date' f --as li solution present "$id" --date 2026-13-01
expect_ok f --as li --now 2026-11-30T15:00:00+08:00 solution present "$id" --date 2026-11-30 \
	--attendees '吴总, 周明' --feedback '认可报表模块' --json
expect_json '.date + " " + .feedback' '2026-11-30 认可报表模块'
expect_ok f --as li solution list "$id" --json
expect_json '.solution | length' 2
expect_json '.presentations[0].attendees' '吴总, 周明'
expect_ok f --as li --now 2026-11-30T16:00:00+08:00 lead move "$id" --to negotiate --json
expect_json '.stage' negotiate

step 'quotes: exactly the limit is within it, one hundredth above waits for a manager'
expect_ok f config get quote.discount_limit
expect_stdout_contains '15'
expect_ok f --as li --now 2026-12-01T10:00:00+08:00 quote add "$id" --amount 300000 --discount 15 \
	--terms '30% 预付, 70% 验收' --delivery 45 --json
getj q1 '.id'
expect_json '.status + " " + (.round|tostring) + " " + (.amount|tostring) + " " + (.discount_pct|tostring)' \
	'within_limit 1 30000000 15'
expect_json '.terms + " " + (.delivery_days|tostring)' '30% 预付, 70% 验收 45'
expect_ok f --as li --now 2026-12-01T11:00:00+08:00 quote add "$id" --amount 299999.99 --discount 15.01 --json
getj q2 '.id'
expect_json '.status + " " + (.round|tostring) + " " + (.amount|tostring) + " " + (.discount_pct|tostring)' \
	'pending 2 29999999 15.01'
expect_json '.status_name.en' "Waiting for a manager's approval"
expect_ok f --as li quote add "$id" --amount 280000 --discount 20 --json
getj q3 '.id'
expect_ok f --as li quote list "$id"
expect_stdout_matches "^$q2 +2 +299999\.99 +15\.01% .*PENDING"
expect_stdout_contains "quote $q2 waits for a manager's approval"
expect_stdout_not_contains "quote $q1 waits"
refused "cannot approve or reject quotes" f --as li quote approve "$q2"
refused "within the discount limit" f --as wang quote approve "$q1"
expect_ok f --as wang --now 2026-12-01T14:00:00+08:00 quote approve "$q2" --note '战略客户' --json
expect_json '.status + " " + .decided_by + " " + .decided_at + " " + .decision_note' \
	'approved wang 2026-12-01T14:00:00+08:00 战略客户'
refused 'not waiting for approval' f --as wang quote reject "$q2"
expect_ok f --as wang quote reject "$q3" --note '折扣过大' --json
expect_json '.status' rejected
expect_ok f --as li quote list "$id" --json
expect_json '[.quotes[] | .status] | join(",")' 'within_limit,approved,rejected'
expect_usage 'quote' f quote approve abc

step 'money through the CLI: 0.01 and 1000000 taken exactly; 12,5 and -3 refused naming --amount'
expect_ok f --as li quote add "$id" --amount 0.01 --json
expect_json '.amount' 1
expect_ok f --as li quote add "$id" --amount 1000000 --json
expect_json '.amount' 100000000
refused 'amount' f --as li quote add "$id" --amount '12,5'
refused 'amount' f --as li quote add "$id" --amount '-3'
refused 'amount' f --as li quote add "$id" --amount '1.234'
refused 'amount' f --as li quote add "$id" --amount 0
refused 'discount' f --as li quote add "$id" --amount 100 --discount 100.01
refused 'discount' f --as li quote add "$id" --amount 100 --discount '15.001'
refused 'delivery' f --as li quote add "$id" --amount 100 --delivery -1
expect_usage '--amount is required' f --as li quote add "$id" --discount 5

step 'obstacles, tracked to resolved'
expect_ok f --as li obstacle add "$id" --type price --text '预算只批了 25 万' --json
getj ob1 '.id'
expect_json '.type_name.zh + " " + .state' '价格 open'
expect_ok f --as li obstacle add "$id" --type authority --text '集团采购要会签' --json
refused 'type' f --as li obstacle add "$id" --type weather --text '?'
refused 'text' f --as li obstacle add "$id" --type price --text ''
expect_ok f --as li --now 2026-12-02T10:00:00+08:00 obstacle resolve "$ob1" --note '分两期付款' --json
expect_json '.state + " " + .resolved_at + " " + .resolution' 'resolved 2026-12-02T10:00:00+08:00 分两期付款'
refused 'already resolved' f --as li obstacle resolve "$ob1"
expect_ok f --as li obstacle list "$id" --json
expect_json '[.obstacles[] | .type + ":" + .state] | join(",")' 'price:resolved,authority:open'
expect_ok f --as li obstacle list "$id"
expect_stdout_contains '1 open, 1 resolved'

step 'the deal: refused dates and amounts, then it wins the lead'
refused 'signed' f --as li --now 2026-12-03T09:00:00+08:00 deal close "$id" --contract 'HT-2026-0001' --amount 280000 --signed 2026-12-09
refused 'signed' f --as li --now 2026-12-03T09:00:00+08:00 deal close "$id" --contract 'HT-2026-0001' --amount 280000 --signed 2026-12-32
refused 'delivery' f --as li --now 2026-12-03T09:00:00+08:00 deal close "$id" --contract 'HT-2026-0001' --amount 280000 --signed 2026-12-01 \
	--delivery 2026-11-30
refused 'amount' f --as li --now 2026-12-03T09:00:00+08:00 deal close "$id" --contract 'HT-2026-0001' --amount '12,5' --signed 2026-12-01
refused 'amount' f --as li --now 2026-12-03T09:00:00+08:00 deal close "$id" --contract 'HT-2026-0001' --amount '-3' --signed 2026-12-01
refused 'contract' f --as li --now 2026-12-03T09:00:00+08:00 deal close "$id" --contract ' ' --amount 280000 --signed 2026-12-01
refused 'cannot force' f --as li --now 2026-12-03T09:00:00+08:00 deal close "$id" --contract 'HT-2026-0001' --amount 280000 --signed 2026-12-01 --force
expect_usage '--signed is required' f --as li --now 2026-12-03T09:00:00+08:00 deal close "$id" --contract 'HT-2026-0001' --amount 280000
refused 'no deal' f --as li deal show "$id"

step 'the deal follows the quote that stands: not while it waits for a manager, forced or not'
expect_ok f --as li --now 2026-12-03T09:30:00+08:00 quote add "$id" --amount 270000 --discount 18 --json
getj q6 '.id'
refused "quote $q6 (round 6) of lead $id waits for a manager's approval" \
	f --as li --now 2026-12-03T10:00:00+08:00 deal close "$id" --contract 'HT-2026-0001' --amount 270000 --signed 2026-12-03
refused "waits for a manager's approval" \
	f --as wang --now 2026-12-03T10:00:00+08:00 deal close "$id" --contract 'HT-2026-0001' --amount 270000 --signed 2026-12-03 --force
# a pending quote of a lost lead waits for the lead to be reopened, and says so
expect_ok f --as li --now 2026-12-03T09:35:00+08:00 lead lose "$id" --reason price
expect_ok f --as li quote list "$id"
expect_stdout_contains "quote $q6 waits for a manager's approval; the lead is 已丢单: reopen it first (funnel lead reopen)"
expect_stdout_not_contains "quote approve|reject $q6"
expect_ok f --as li --now 2026-12-03T09:40:00+08:00 lead reopen "$id"
expect_ok f --as li quote list "$id"
expect_stdout_contains "funnel quote approve|reject $q6"
expect_ok f --as wang --now 2026-12-03T09:45:00+08:00 quote reject "$q6" --note '超出预算' --json
expect_json '.status' rejected
expect_ok f --as li --now 2026-12-03T10:00:00+08:00 deal close "$id" --contract 'HT-2026-0001' \
	--amount 280000.50 --signed 2026-12-03 --delivery 2026-12-15 --json
expect_json '.status + " " + .stage + " " + .won_at' 'won won 2026-12-03T10:00:00+08:00'
expect_json '.deal.contract_no + " " + (.deal.amount|tostring) + " " + .deal.signed_on + " " + .deal.delivery_start' \
	'HT-2026-0001 28000050 2026-12-03 2026-12-15'
refused 'already has a deal' f --as li deal close "$id" --contract 'HT-2' --amount 1 --signed 2026-12-03
refused 'won' f --as li needs add "$id" --text '晚了' --priority 1
expect_ok f --as li deal show "$id" --json
expect_json '.contract_no + " " + .user' 'HT-2026-0001 li'
expect_ok f --as li deal show "$id"
expect_stdout_contains '280000.50 元'
# an installation in another currency shows its code, in the deal and the lead alike
expect_ok f config set currency USD
expect_ok f --as li deal show "$id"
expect_stdout_contains '280000.50 USD'
expect_ok f --as li lead show "$id"
expect_stdout_contains '280000.50 USD'
expect_stdout_not_contains '元'
expect_ok f config set currency CNY

step 'after-sales: hand-over, care, satisfaction'
refused 'to' f --as li aftersales handover "$id" --to wang
refused 'to' f --as li aftersales handover "$id" --to nobody
expect_ok f --as li --now 2026-12-04T09:00:00+08:00 aftersales handover "$id" --to sun --note '重点客户' --json
expect_json '.from + ">" + .to + " " + .user + " " + .note' 'li>sun li 重点客户'
refused 'already with' f --as li aftersales handover "$id" --to sun
expect_ok f --as sun --now 2026-12-20T10:00:00+08:00 aftersales care "$id" --summary '上线回访' --outcome '运行正常' \
	--next 2027-01-20T10:00:00+08:00 --json
expect_json '.kind + " " + .user + " " + .next_at' 'aftersales sun 2027-01-20T10:00:00+08:00'
expect_usage '--summary is required' f --as sun aftersales care "$id"
refused 'score' f --as sun aftersales rate "$id" --score 6
expect_ok f --as sun aftersales rate "$id" --score 5 --note '很满意' --json
expect_json '(.score|tostring) + " " + .user' '5 sun'

step 'repurchase and referral: new leads linked both ways'
expect_ok f --as sun --now 2027-01-20T10:00:00+08:00 lead repurchase "$id" --owner li --notes '二期: 两个新车间' --json
getj rep '.id'
expect_json '.channel + " " + .status + " " + .stage + " " + .owner' 'repurchase open acquire li'
expect_json '.company + " " + (.returning_of|tostring)' "苏州精工机械有限公司 $id"
expect_ok f --as sun --now 2027-01-20T11:00:00+08:00 lead referral "$id" --company '常州恒力传动有限公司' \
	--contact '钱立' --phone 13912340010 --owner li --json
getj ref '.id'
expect_json '.channel + " " + .status + " " + (.referred_by|tostring)' "customer_referral open $id"
expect_usage '--company is required' f --as sun lead referral "$id" --contact '某' --phone 13912340011
refused 'not a won customer' f lead referral "$rep" --company '某公司' --contact '某' --phone 13912340011
refused 'not a won customer' f lead repurchase "$rep"
expect_ok f --as li lead show "$id" --json
expect_json "[.links[] | .kind + \":\" + (.id|tostring)] | join(\",\")" "repurchase:$rep,referral:$ref"
expect_json '.links[0].kind_name.en + " " + .links[1].company' 'Repurchased as 常州恒力传动有限公司'
expect_ok f --as li lead show "$rep" --json
expect_json "[.links[] | .kind + \":\" + (.id|tostring)] | join(\",\")" "repurchase_of:$id"
expect_ok f --as li lead show "$ref" --json
expect_json "[.links[] | .kind + \":\" + (.id|tostring) + \":\" + .status] | join(\",\")" "referred_by:$id:won"

step 'lead show: the whole sale on one page, and under its keys in JSON'
expect_ok f --as li lead show "$id" --json
expect_json '["prep","spin","contacts","needs","solution","presentations","quotes","obstacles","deal","handovers","satisfaction","links"] - keys | length' 0
expect_json '(.needs.version|tostring) + " " + (.needs.confirmed|tostring) + " " + (.needs.items|length|tostring)' '2 false 2'
expect_json '.spin | length' 4
expect_json '.contacts[0].role' decision_maker
expect_json '[.solution[].need_num] | map(tostring) | join(",")' '1,2'
expect_json '[.quotes[].status] | join(",")' 'within_limit,approved,rejected,within_limit,within_limit,rejected'
expect_json '[.obstacles[].state] | join(",")' 'resolved,open'
expect_json '.deal.amount' 28000050
expect_json '.handovers[0].to + " " + .aftersales' 'sun sun'
expect_json '.satisfaction[0].score' 5
expect_json '[.activities[] | select(.kind == "aftersales") | .summary] | join(",")' '上线回访'
expect_ok f --as li --lang en lead show "$id"
for section in 'Discovery:' 'SPIN:' 'Decision chain:' 'Needs list v2: draft' '(v1 confirmed' 'Solution:' \
	'Presentations:' 'Quotes:' 'Obstacles (1 open, 1 resolved):' 'Deal:' 'Hand-overs:' 'Satisfaction:' 'Links:' \
	'decision by    2027-01-15' 'HT-2026-0001' 'Repurchased as' 'Referral' 'Approved' 'aftersales sun'; do
	expect_stdout_contains "$section"
done
expect_ok f --as li lead show "$ref"
expect_stdout_contains "by the customer of lead $id"

step 'the document: company, needs and solution, in Chinese or English, to stdout or a new file'
expect_ok f --as li lead document "$id"
save doc.html
expect_stdout_contains '<title>客户需求清单与解决方案 — 苏州精工机械有限公司</title>'
expect_stdout_contains '生产报表自动汇总'
expect_stdout_contains '多数据源报表模块'
expect_stdout_contains '月底对账从三天缩短到半天'
expect_stdout_contains '无锡某机床厂'
expect_stdout_contains '认可报表模块'
expect_ok f --as li --lang en lead document "$id"
expect_stdout_contains '<html lang="en">'
expect_stdout_contains '<h1>Customer Needs List and Solution</h1>'
expect_stdout_contains '<h2>1. Customer needs list</h2>'
expect_stdout_contains '<h2>2. Solution</h2>'
expect_stdout_not_contains '客户需求清单'
expect_ok f --as li lead document "$id" --out "$TMP/out.html"
expect_stdout_contains "written to $TMP/out.html"
expect_same_file 'lead document --out and stdout' "$TMP/doc.html" "$TMP/out.html"
printf 'keep me\n' >"$TMP/exists.html"
expect_error 'already exists' f --as li lead document "$id" --out "$TMP/exists.html"
expect_eq 'a file lead document refused to overwrite' 'keep me' "$(cat "$TMP/exists.html")"
expect_ok f --as li lead document "$id" --out "$TMP/out2.html" --json
expect_json '.out + " " + .lang' "$TMP/out2.html zh"
expect_ok f --as li lead document "$id" --json
expect_json '.html | contains("生产报表自动汇总")' true

step 'a draft with markup is escaped; the document marks an unconfirmed list'
expect_ok f --as li lead add --company '无锡<新>科技 & 联合有限公司' --contact '陆' --channel sem --phone 13912340020 --json
getj d2 '.id'
expect_ok f --as li needs add "$d2" --text '<script>alert(1)</script>' --priority 1
expect_ok f --as li lead document "$d2"
expect_stdout_contains '&lt;script&gt;alert(1)&lt;/script&gt;'
expect_stdout_not_contains '<script>'
expect_stdout_contains '无锡&lt;新&gt;科技 &amp; 联合有限公司'
expect_stdout_contains '未经客户确认'

step 'force: a manager passes the gates (audited), a consultant cannot'
expect_ok f --as li lead add --company '南通远航船舶有限公司' --contact '顾' --channel sem --phone 13912340030 --json
getj fid '.id'
expect_ok f --as li lead score "$fid" --budget 3 --need 3 --decision 3 --urgency 3
refused 'cannot force a lead past a stage gate' f --as li lead move "$fid" --to negotiate --force
refused "gate 'propose'" f --as wang lead move "$fid" --to negotiate
expect_ok f --as wang --now 2026-12-05T10:00:00+08:00 lead move "$fid" --to negotiate --force --note '老客户推荐,先报价' --json
expect_json '.stage + " " + .status' 'negotiate open'
expect_ok f --as wang audit --lead "$fid" --json
expect_json '[.audit[] | select(.action == "force_gate") | .user + " " + .after.to + " " + ([.after.gates[].gate] | join(","))] | join(";")' \
	'wang negotiate propose,negotiate'
expect_json '[.audit[] | select(.action == "force_gate") | .after.gates[0].missing] | join(";")' 'no customer needs list'
expect_ok f --as wang audit --lead "$fid"
expect_stdout_contains 'force_gate'
expect_ok f --as wang --now 2026-12-05T11:00:00+08:00 lead move "$fid" --to won --force --json
expect_json '.status' won
refused 'no deal' f --as wang deal show "$fid"
expect_ok f --as wang --now 2026-12-05T12:00:00+08:00 deal close "$fid" --contract 'HT-F1' --amount 50000 --signed 2026-12-05 --json
expect_json '.status + " " + .deal.contract_no' 'won HT-F1'
expect_ok f --as wang audit --lead "$fid" --json
expect_json '[.audit[] | select(.action == "force_gate")] | length' 2
expect_json '[.audit[] | select(.action == "force_gate")][1].after.gates | map(.gate) | join(",")' 'won'

step 'deal close --force by a manager passes the gates of the stages it skips'
expect_ok f --as li lead add --company '扬州广陵电器有限公司' --contact '包' --channel sem --phone 13912340040 --json
getj gid '.id'
expect_ok f --as li lead score "$gid" --budget 3 --need 3 --decision 3 --urgency 3
refused "gate 'propose'" f --as wang deal close "$gid" --contract 'HT-G' --amount 1 --signed 2026-11-27
expect_ok f --as wang deal close "$gid" --contract 'HT-G' --amount 1 --signed 2026-11-27 --force --json
expect_json '.status + " " + (.deal.amount|tostring)' 'won 100'
expect_ok f --as wang audit --lead "$gid" --json
expect_json '[.audit[] | select(.action == "force_gate") | .after.gates | map(.gate) | join(",")] | join(";")' \
	'propose,negotiate'

step 'switched off, a gate asks nothing'
expect_ok f lead add --company '泰州海陵化工有限公司' --contact '卞' --channel sem --phone 13912340050 --json
getj hid '.id'
expect_ok f lead score "$hid" --budget 3 --need 3 --decision 3 --urgency 3
expect_ok f config set gate.propose off
expect_ok f lead move "$hid" --to propose --json
expect_json '.stage' propose
refused "gate 'negotiate'" f lead move "$hid" --to negotiate
expect_ok f audit --lead "$hid" --json
expect_json '[.audit[] | select(.action == "force_gate")] | length' 0

finish
