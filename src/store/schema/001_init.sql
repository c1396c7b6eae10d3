-- 001: the foundation. Times are INTEGER seconds since the epoch (UTC); money is INTEGER 分 (minor
-- units); dates are TEXT 'YYYY-MM-DD'. Configurable lists (stages, channels, reasons) are rows, so an
-- installation can change them; their keys are stable.
-- A CHECK on a list of values is written as x = 'a' OR x = 'b', never x IN ('a', 'b'): SQLite
-- builds a temporary b-tree for an IN list every time a statement runs, which made each insert of a
-- lead about a quarter slower.

CREATE TABLE config (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
) WITHOUT ROWID;

-- Internal counters that are not configuration (round-robin position, ...).
CREATE TABLE state (
	key   TEXT PRIMARY KEY,
	value INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE team (
	id   INTEGER PRIMARY KEY,
	name TEXT NOT NULL UNIQUE
);

CREATE TABLE user (
	id         INTEGER PRIMARY KEY,
	login      TEXT NOT NULL UNIQUE,
	name       TEXT NOT NULL,
	role       TEXT NOT NULL CHECK (role = 'admin' OR role = 'manager' OR role = 'sales' OR role = 'marketing' OR role = 'aftersales'),
	team_id    INTEGER REFERENCES team(id),
	active     INTEGER NOT NULL DEFAULT 1 CHECK (active = 0 OR active = 1),
	created_at INTEGER NOT NULL
);

CREATE TABLE pipeline (
	id      INTEGER PRIMARY KEY,
	key     TEXT NOT NULL UNIQUE,
	name_zh TEXT NOT NULL,
	name_en TEXT NOT NULL
);

CREATE TABLE stage (
	id          INTEGER PRIMARY KEY,
	pipeline_id INTEGER NOT NULL REFERENCES pipeline(id),
	pos         INTEGER NOT NULL CHECK (pos >= 1),
	key         TEXT NOT NULL,
	name_zh     TEXT NOT NULL,
	name_en     TEXT NOT NULL,
	probability INTEGER NOT NULL CHECK (probability BETWEEN 0 AND 100),
	UNIQUE (pipeline_id, pos),
	UNIQUE (pipeline_id, key)
);

CREATE TABLE channel (
	id      INTEGER PRIMARY KEY,
	key     TEXT NOT NULL UNIQUE,
	name_zh TEXT NOT NULL,
	name_en TEXT NOT NULL,
	kind    TEXT NOT NULL CHECK (kind = 'online' OR kind = 'offline' OR kind = 'customer'),
	active  INTEGER NOT NULL DEFAULT 1 CHECK (active = 0 OR active = 1)
);

CREATE TABLE lost_reason (
	key     TEXT PRIMARY KEY,
	name_zh TEXT NOT NULL,
	name_en TEXT NOT NULL,
	pos     INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE lead (
	id             INTEGER PRIMARY KEY,
	pipeline_id    INTEGER NOT NULL REFERENCES pipeline(id),
	company        TEXT NOT NULL,
	contact        TEXT NOT NULL,
	title          TEXT NOT NULL DEFAULT '',
	phone          TEXT NOT NULL DEFAULT '',
	email          TEXT NOT NULL DEFAULT '',
	wechat         TEXT NOT NULL DEFAULT '',
	industry       TEXT NOT NULL DEFAULT '',
	size           TEXT NOT NULL DEFAULT '',
	region         TEXT NOT NULL DEFAULT '',
	channel_id     INTEGER NOT NULL REFERENCES channel(id),
	source         TEXT NOT NULL DEFAULT '',
	consent        TEXT NOT NULL DEFAULT '',
	notes          TEXT NOT NULL DEFAULT '',
	captured_at    INTEGER NOT NULL,
	owner_id       INTEGER REFERENCES user(id),
	stage_id       INTEGER NOT NULL REFERENCES stage(id),
	reached_pos    INTEGER NOT NULL,
	status         TEXT NOT NULL CHECK (status = 'open' OR status = 'nurture' OR status = 'won' OR status = 'lost' OR status = 'invalid' OR status = 'merged'),
	invalid_reason TEXT,
	merged_into    INTEGER REFERENCES lead(id),
	returning_of   INTEGER REFERENCES lead(id),
	lost_reason    TEXT REFERENCES lost_reason(key),
	lost_note      TEXT NOT NULL DEFAULT '',
	lost_at        INTEGER,
	won_at         INTEGER,
	amount         INTEGER CHECK (amount >= 0),
	close_month    TEXT,
	grade          TEXT CHECK (grade = 'A' OR grade = 'B' OR grade = 'C'),
	score_budget   INTEGER,
	score_need     INTEGER,
	score_decision INTEGER,
	score_urgency  INTEGER,
	score_total    INTEGER, -- hundredths of a point (weights may be fractional)
	graded_at      INTEGER,
	first_contact_at INTEGER, -- first follow-up activity; NULL while the lead is "to follow up"
	phone_key      TEXT,
	email_key      TEXT,
	wechat_key     TEXT,
	company_key    TEXT,
	created_at     INTEGER NOT NULL,
	updated_at     INTEGER NOT NULL,
	version        INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX lead_phone_key   ON lead(phone_key)   WHERE phone_key IS NOT NULL;
CREATE INDEX lead_email_key   ON lead(email_key)   WHERE email_key IS NOT NULL;
CREATE INDEX lead_wechat_key  ON lead(wechat_key)  WHERE wechat_key IS NOT NULL;
CREATE INDEX lead_company_key ON lead(company_key) WHERE company_key IS NOT NULL;
CREATE INDEX lead_owner       ON lead(owner_id, status);
CREATE INDEX lead_captured    ON lead(captured_at);

-- Stage events are immutable: the history of every stage change of a lead.
-- kind: capture (entry at acquire), forward (one or more stages on; skipped stages count as reached
-- at the same instant), back (needs a note), lose, reopen.
CREATE TABLE stage_event (
	id         INTEGER PRIMARY KEY,
	lead_id    INTEGER NOT NULL REFERENCES lead(id),
	kind       TEXT NOT NULL CHECK (kind = 'capture' OR kind = 'forward' OR kind = 'back' OR kind = 'lose' OR kind = 'reopen'),
	from_stage INTEGER REFERENCES stage(id),
	to_stage   INTEGER NOT NULL REFERENCES stage(id),
	at         INTEGER NOT NULL,
	user_id    INTEGER REFERENCES user(id),
	note       TEXT NOT NULL DEFAULT '',
	reason     TEXT
);
CREATE INDEX stage_event_lead ON stage_event(lead_id, at);
CREATE TRIGGER stage_event_no_update BEFORE UPDATE ON stage_event
BEGIN SELECT RAISE(ABORT, 'stage events are immutable'); END;
CREATE TRIGGER stage_event_no_delete BEFORE DELETE ON stage_event
BEGIN SELECT RAISE(ABORT, 'stage events are immutable'); END;

CREATE TABLE owner_event (
	id        INTEGER PRIMARY KEY,
	lead_id   INTEGER NOT NULL REFERENCES lead(id),
	from_user INTEGER REFERENCES user(id),
	to_user   INTEGER NOT NULL REFERENCES user(id),
	at        INTEGER NOT NULL,
	user_id   INTEGER REFERENCES user(id),
	note      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX owner_event_lead ON owner_event(lead_id);
CREATE TRIGGER owner_event_no_update BEFORE UPDATE ON owner_event
BEGIN SELECT RAISE(ABORT, 'owner events are immutable'); END;
CREATE TRIGGER owner_event_no_delete BEFORE DELETE ON owner_event
BEGIN SELECT RAISE(ABORT, 'owner events are immutable'); END;

-- Every scoring is kept.
CREATE TABLE score (
	id       INTEGER PRIMARY KEY,
	lead_id  INTEGER NOT NULL REFERENCES lead(id),
	at       INTEGER NOT NULL,
	user_id  INTEGER REFERENCES user(id),
	budget   INTEGER NOT NULL CHECK (budget BETWEEN 1 AND 5),
	need     INTEGER NOT NULL CHECK (need BETWEEN 1 AND 5),
	decision INTEGER NOT NULL CHECK (decision BETWEEN 1 AND 5),
	urgency  INTEGER NOT NULL CHECK (urgency BETWEEN 1 AND 5),
	total    INTEGER NOT NULL, -- hundredths
	grade    TEXT NOT NULL CHECK (grade = 'A' OR grade = 'B' OR grade = 'C')
);
CREATE INDEX score_lead ON score(lead_id, at);

CREATE TABLE activity (
	id        INTEGER PRIMARY KEY,
	lead_id   INTEGER NOT NULL REFERENCES lead(id),
	kind      TEXT NOT NULL,
	at        INTEGER NOT NULL,
	user_id   INTEGER REFERENCES user(id),
	summary   TEXT NOT NULL DEFAULT '',
	outcome   TEXT NOT NULL DEFAULT '',
	next_at   INTEGER,
	channel_id INTEGER REFERENCES channel(id), -- re_inquiry: the channel it came through
	source    TEXT NOT NULL DEFAULT '',
	ref_lead  INTEGER REFERENCES lead(id)      -- re_inquiry: the duplicate lead record
);
CREATE INDEX activity_lead ON activity(lead_id, at);
CREATE INDEX activity_user ON activity(user_id, at);

-- Things due on a lead: the follow-up deadline (SLA) after grading, nurture material, nurture
-- touches, re-evaluations and the next follow-up an activity asked for.
CREATE TABLE task (
	id          INTEGER PRIMARY KEY,
	lead_id     INTEGER NOT NULL REFERENCES lead(id),
	kind        TEXT NOT NULL CHECK (kind = 'followup' OR kind = 'material' OR kind = 'touch' OR kind = 'reevaluate' OR kind = 'next'),
	grade       TEXT,             -- followup: the grade that set the deadline
	owner_id    INTEGER REFERENCES user(id),
	created_at  INTEGER NOT NULL, -- followup: the grading time the deadline runs from
	due_at      INTEGER NOT NULL,
	done_at     INTEGER,
	activity_id INTEGER REFERENCES activity(id),
	cancelled_at INTEGER
);
CREATE INDEX task_lead ON task(lead_id);
CREATE INDEX task_open ON task(owner_id, due_at) WHERE done_at IS NULL AND cancelled_at IS NULL;
CREATE INDEX task_due  ON task(kind, due_at);

CREATE TABLE calendar_day (
	day  TEXT PRIMARY KEY, -- YYYY-MM-DD
	kind TEXT NOT NULL CHECK (kind = 'holiday' OR kind = 'workday'),
	name TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;

-- Append-only: who, when, what, before -> after (JSON objects of the changed fields).
CREATE TABLE audit (
	id        INTEGER PRIMARY KEY,
	at        INTEGER NOT NULL,
	user_id   INTEGER REFERENCES user(id),
	entity    TEXT NOT NULL,
	entity_id TEXT NOT NULL,
	action    TEXT NOT NULL,
	lead_id   INTEGER,
	before    TEXT,
	after     TEXT
);
CREATE INDEX audit_lead ON audit(lead_id) WHERE lead_id IS NOT NULL;
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
