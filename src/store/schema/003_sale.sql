-- 003: the sale after qualification (SPEC §5) and the stage gates (§2): discovery, the versioned
-- customer needs list, the solution, quotes and obstacles, the deal, after-sales, and the links of
-- repurchases and referrals.

INSERT INTO config (key, value) VALUES
	('gate.propose', 'on'),
	('gate.negotiate', 'on'),
	('gate.won', 'on'),
	('quote.discount_limit', '15');

-- A referral lead points at the customer who referred it; a repurchase uses returning_of.
ALTER TABLE lead ADD COLUMN referred_by INTEGER REFERENCES lead(id);
ALTER TABLE lead ADD COLUMN aftersales_id INTEGER REFERENCES user(id);
CREATE INDEX lead_returning ON lead(returning_of) WHERE returning_of IS NOT NULL;
CREATE INDEX lead_referred ON lead(referred_by) WHERE referred_by IS NOT NULL;

-- Preparation for the needs interview: one record a lead, edited in place (audited).
CREATE TABLE lead_prep (
	lead_id       INTEGER PRIMARY KEY REFERENCES lead(id),
	background    TEXT NOT NULL DEFAULT '',
	news          TEXT NOT NULL DEFAULT '',
	contact_role  TEXT CHECK (contact_role = 'decision_maker' OR contact_role = 'influencer' OR contact_role = 'user' OR contact_role = 'gatekeeper'),
	decision_date TEXT, -- purchase timeline: the expected decision date, YYYY-MM-DD
	updated_at    INTEGER NOT NULL
);

-- The decision chain: the people of the customer and their roles.
CREATE TABLE lead_contact (
	id         INTEGER PRIMARY KEY,
	lead_id    INTEGER NOT NULL REFERENCES lead(id),
	name       TEXT NOT NULL,
	title      TEXT NOT NULL DEFAULT '',
	role       TEXT NOT NULL CHECK (role = 'decision_maker' OR role = 'influencer' OR role = 'user' OR role = 'gatekeeper'),
	phone      TEXT NOT NULL DEFAULT '',
	email      TEXT NOT NULL DEFAULT '',
	notes      TEXT NOT NULL DEFAULT '',
	created_at INTEGER NOT NULL
);
CREATE INDEX lead_contact_lead ON lead_contact(lead_id);

-- SPIN questions and answers (Situation, Problem, Implication, Need-payoff).
CREATE TABLE spin (
	id       INTEGER PRIMARY KEY,
	lead_id  INTEGER NOT NULL REFERENCES lead(id),
	kind     TEXT NOT NULL CHECK (kind = 'S' OR kind = 'P' OR kind = 'I' OR kind = 'N'),
	question TEXT NOT NULL,
	answer   TEXT NOT NULL DEFAULT '',
	at       INTEGER NOT NULL,
	user_id  INTEGER REFERENCES user(id)
);
CREATE INDEX spin_lead ON spin(lead_id);

-- The customer needs list, in versions. The newest version is a draft until confirmed; a confirmed
-- version never changes again: editing it starts the next version.
CREATE TABLE needs_version (
	id              INTEGER PRIMARY KEY,
	lead_id         INTEGER NOT NULL REFERENCES lead(id),
	version         INTEGER NOT NULL,
	created_at      INTEGER NOT NULL,
	user_id         INTEGER REFERENCES user(id),
	confirmed_at    INTEGER,
	confirmed_by    INTEGER REFERENCES lead_contact(id), -- NULL: the lead's own contact
	confirmed_name  TEXT,
	confirmed_how   TEXT CHECK (confirmed_how = 'phone' OR confirmed_how = 'email' OR confirmed_how = 'meeting' OR confirmed_how = 'message'),
	recorded_by     INTEGER REFERENCES user(id),
	next_num        INTEGER NOT NULL DEFAULT 1, -- the number the next new need gets: never reused
	UNIQUE (lead_id, version)
);

-- A need keeps its number (num) through the versions, so a solution can refer to it.
CREATE TABLE need_item (
	id         INTEGER PRIMARY KEY,
	version_id INTEGER NOT NULL REFERENCES needs_version(id),
	num        INTEGER NOT NULL,
	text       TEXT NOT NULL,
	priority   INTEGER NOT NULL CHECK (priority BETWEEN 1 AND 3),
	UNIQUE (version_id, num)
);

CREATE TABLE need_spin (
	item_id INTEGER NOT NULL REFERENCES need_item(id),
	spin_id INTEGER NOT NULL REFERENCES spin(id),
	PRIMARY KEY (item_id, spin_id)
) WITHOUT ROWID;

CREATE TRIGGER needs_confirmed_frozen BEFORE UPDATE ON needs_version
WHEN OLD.confirmed_at IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'a confirmed needs list does not change'); END;
CREATE TRIGGER needs_version_kept BEFORE DELETE ON needs_version
BEGIN SELECT RAISE(ABORT, 'needs list versions are kept'); END;
CREATE TRIGGER need_spin_frozen_insert BEFORE INSERT ON need_spin
WHEN (SELECT v.confirmed_at FROM need_item i JOIN needs_version v ON v.id = i.version_id
      WHERE i.id = NEW.item_id) IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'a confirmed needs list does not change'); END;
CREATE TRIGGER need_spin_frozen_update BEFORE UPDATE ON need_spin
WHEN (SELECT v.confirmed_at FROM need_item i JOIN needs_version v ON v.id = i.version_id
      WHERE i.id = OLD.item_id) IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'a confirmed needs list does not change'); END;
CREATE TRIGGER need_spin_frozen_delete BEFORE DELETE ON need_spin
WHEN (SELECT v.confirmed_at FROM need_item i JOIN needs_version v ON v.id = i.version_id
      WHERE i.id = OLD.item_id) IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'a confirmed needs list does not change'); END;
CREATE TRIGGER need_item_frozen_insert BEFORE INSERT ON need_item
WHEN (SELECT confirmed_at FROM needs_version WHERE id = NEW.version_id) IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'a confirmed needs list does not change'); END;
CREATE TRIGGER need_item_frozen_update BEFORE UPDATE ON need_item
WHEN (SELECT confirmed_at FROM needs_version WHERE id = OLD.version_id) IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'a confirmed needs list does not change'); END;
CREATE TRIGGER need_item_frozen_delete BEFORE DELETE ON need_item
WHEN (SELECT confirmed_at FROM needs_version WHERE id = OLD.version_id) IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'a confirmed needs list does not change'); END;

-- Solution items: need -> function -> value (quantified where possible) -> case.
CREATE TABLE solution_item (
	id         INTEGER PRIMARY KEY,
	lead_id    INTEGER NOT NULL REFERENCES lead(id),
	need_num   INTEGER NOT NULL,
	function   TEXT NOT NULL,
	value      TEXT NOT NULL,
	figure     TEXT,  -- a decimal, e.g. '30' or '50000'
	unit       TEXT,  -- '%', 'hours/week', 'CNY/year'
	case_ref   TEXT NOT NULL DEFAULT '',
	created_at INTEGER NOT NULL,
	user_id    INTEGER REFERENCES user(id)
);
CREATE INDEX solution_item_lead ON solution_item(lead_id);

CREATE TABLE presentation (
	id        INTEGER PRIMARY KEY,
	lead_id   INTEGER NOT NULL REFERENCES lead(id),
	day       TEXT NOT NULL, -- YYYY-MM-DD
	attendees TEXT NOT NULL DEFAULT '',
	feedback  TEXT NOT NULL DEFAULT '',
	at        INTEGER NOT NULL,
	user_id   INTEGER REFERENCES user(id)
);
CREATE INDEX presentation_lead ON presentation(lead_id);

-- Quotes in rounds. A discount above quote.discount_limit waits for a manager's decision.
CREATE TABLE quote (
	id            INTEGER PRIMARY KEY,
	lead_id       INTEGER NOT NULL REFERENCES lead(id),
	round         INTEGER NOT NULL,
	amount        INTEGER NOT NULL CHECK (amount >= 0), -- 分
	discount      INTEGER NOT NULL CHECK (discount BETWEEN 0 AND 10000), -- hundredths of a percent
	terms         TEXT NOT NULL DEFAULT '',
	delivery_days INTEGER NOT NULL CHECK (delivery_days >= 0),
	status        TEXT NOT NULL CHECK (status = 'within_limit' OR status = 'pending' OR status = 'approved' OR status = 'rejected'),
	created_at    INTEGER NOT NULL,
	user_id       INTEGER REFERENCES user(id),
	decided_at    INTEGER,
	decided_by    INTEGER REFERENCES user(id),
	decision_note TEXT NOT NULL DEFAULT '',
	UNIQUE (lead_id, round)
);

CREATE TABLE obstacle (
	id          INTEGER PRIMARY KEY,
	lead_id     INTEGER NOT NULL REFERENCES lead(id),
	type        TEXT NOT NULL CHECK (type = 'price' OR type = 'terms' OR type = 'delivery' OR type = 'competitor' OR type = 'authority' OR type = 'timing'),
	text        TEXT NOT NULL,
	created_at  INTEGER NOT NULL,
	user_id     INTEGER REFERENCES user(id),
	resolved_at INTEGER,
	resolution  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX obstacle_lead ON obstacle(lead_id);

-- The deal: one a lead; recording it wins the lead.
CREATE TABLE deal (
	lead_id        INTEGER PRIMARY KEY REFERENCES lead(id),
	contract_no    TEXT NOT NULL,
	amount         INTEGER NOT NULL CHECK (amount >= 0), -- 分
	signed_on      TEXT NOT NULL, -- YYYY-MM-DD
	delivery_start TEXT,          -- YYYY-MM-DD
	created_at     INTEGER NOT NULL,
	user_id        INTEGER REFERENCES user(id)
);

CREATE TABLE handover (
	id        INTEGER PRIMARY KEY,
	lead_id   INTEGER NOT NULL REFERENCES lead(id),
	from_user INTEGER REFERENCES user(id),
	to_user   INTEGER NOT NULL REFERENCES user(id),
	at        INTEGER NOT NULL,
	user_id   INTEGER REFERENCES user(id),
	note      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX handover_lead ON handover(lead_id);
CREATE TRIGGER handover_no_update BEFORE UPDATE ON handover
BEGIN SELECT RAISE(ABORT, 'hand-overs are events and do not change'); END;
CREATE TRIGGER handover_no_delete BEFORE DELETE ON handover
BEGIN SELECT RAISE(ABORT, 'hand-overs are events and do not change'); END;

CREATE TABLE satisfaction (
	id      INTEGER PRIMARY KEY,
	lead_id INTEGER NOT NULL REFERENCES lead(id),
	score   INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
	note    TEXT NOT NULL DEFAULT '',
	at      INTEGER NOT NULL,
	user_id INTEGER REFERENCES user(id)
);
CREATE INDEX satisfaction_lead ON satisfaction(lead_id);
