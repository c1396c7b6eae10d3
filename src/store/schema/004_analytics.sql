-- 004: what the reports need beyond the leads (SPEC §6, §7): marketing spend per channel and
-- month, and SMART targets.

-- Spend of a channel in a month, for cost per lead, cost per deal and ROI.
CREATE TABLE channel_spend (
	channel_id INTEGER NOT NULL REFERENCES channel(id),
	month      TEXT NOT NULL,              -- YYYY-MM
	amount     INTEGER NOT NULL CHECK (amount >= 0), -- 分
	updated_at INTEGER NOT NULL,
	user_id    INTEGER REFERENCES user(id),
	PRIMARY KEY (channel_id, month)
) WITHOUT ROWID;

-- A target: metric, stage, scope, period, value. The value's unit follows the metric: entries and
-- won_count are counts, won_amount is 分, conversion and sla_compliance are hundredths of a percent
-- (3000 = 30 %).
CREATE TABLE target (
	id         INTEGER PRIMARY KEY,
	metric     TEXT NOT NULL CHECK (metric = 'entries' OR metric = 'conversion' OR metric = 'won_count' OR metric = 'won_amount' OR metric = 'sla_compliance'),
	stage      TEXT NOT NULL DEFAULT '',   -- a stage key; '' for metrics without a stage
	scope_kind TEXT NOT NULL CHECK (scope_kind = 'company' OR scope_kind = 'team' OR scope_kind = 'user'),
	scope      TEXT NOT NULL DEFAULT '',   -- team name or user login; '' for the company
	period     TEXT NOT NULL,              -- 2026-11, 2026-Q4 or 2026
	value      INTEGER NOT NULL CHECK (value >= 0),
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	user_id    INTEGER REFERENCES user(id),
	UNIQUE (metric, stage, scope_kind, scope, period)
);
