-- 006: opportunities brought over from another CRM (funnel import --history). Each lead made from
-- one remembers the other system's id, so importing the same export again creates nothing, and the
-- product it was for (funnel has no product of its own on a lead).
CREATE TABLE lead_origin (
	lead_id     INTEGER PRIMARY KEY REFERENCES lead(id),
	external_id TEXT NOT NULL UNIQUE, -- the opportunity id in the other system
	product     TEXT NOT NULL DEFAULT '',
	file        TEXT NOT NULL,        -- the file it came from, as given
	imported_at INTEGER NOT NULL
);
