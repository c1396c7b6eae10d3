-- 005: imports of lead lists. A job remembers a file (by its content) and how many of its records
-- are done, in the same transactions as the leads they made: an interrupted import resumes where
-- its last committed batch ended, and the same file imported again creates nothing.
CREATE TABLE import_job (
	id           INTEGER PRIMARY KEY,
	file_hash    TEXT NOT NULL,   -- of the file's bytes, with its size
	path         TEXT NOT NULL,
	started_at   INTEGER NOT NULL,
	finished_at  INTEGER,
	records_done INTEGER NOT NULL DEFAULT 0,
	user_id      INTEGER REFERENCES user(id),
	created      INTEGER NOT NULL DEFAULT 0,
	invalid      INTEGER NOT NULL DEFAULT 0,
	merged       INTEGER NOT NULL DEFAULT 0,
	returned     INTEGER NOT NULL DEFAULT 0,  -- returning customers
	rejected     INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX import_job_hash ON import_job(file_hash);
