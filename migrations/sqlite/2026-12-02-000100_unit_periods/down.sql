PRAGMA foreign_keys = OFF;
BEGIN;
DROP TABLE unit_links;
CREATE TABLE units_old (
    id TEXT PRIMARY KEY NOT NULL,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    parent_id TEXT REFERENCES units(id),
    created_at TIMESTAMP NOT NULL
);
-- Only the open units fit the old shape (one unit per code).
INSERT INTO units_old (id, code, name, kind, parent_id, created_at)
    SELECT id, code, name, kind, parent_id, created_at FROM units WHERE valid_to IS NULL;
DROP TABLE units;
ALTER TABLE units_old RENAME TO units;
CREATE INDEX units_parent ON units(parent_id);
COMMIT;
PRAGMA foreign_keys = ON;
