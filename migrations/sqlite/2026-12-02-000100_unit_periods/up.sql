-- A unit exists for a period: a code names a unit only at a given date,
-- because reorganisations reuse codes (00004 was Phường Trúc Bạch before
-- 1 July 2025 and is Phường Ba Đình from then). NULL ends are open: since
-- ever, until further notice. At most one open unit per code.
--
-- SQLite cannot drop the UNIQUE on `code`, so the table is rebuilt (the
-- documented 12-step procedure: foreign keys off, copy, drop, rename).
PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE units_new (
    id TEXT PRIMARY KEY NOT NULL,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    parent_id TEXT REFERENCES units(id),
    created_at TIMESTAMP NOT NULL,
    valid_from DATE,
    valid_to DATE
);
INSERT INTO units_new (id, code, name, kind, parent_id, created_at)
    SELECT id, code, name, kind, parent_id, created_at FROM units;
DROP TABLE units;
ALTER TABLE units_new RENAME TO units;
CREATE INDEX units_parent ON units(parent_id);
CREATE INDEX units_code ON units(code);
CREATE UNIQUE INDEX units_code_open ON units(code) WHERE valid_to IS NULL;

-- Lineage: which old units a new one was formed from. `part` is false
-- when all of the old unit's people joined the new one; `share` is the
-- part's share of them when known (the official tables give none).
CREATE TABLE unit_links (
    new_unit_id TEXT NOT NULL REFERENCES units(id),
    old_unit_id TEXT NOT NULL REFERENCES units(id),
    part BOOLEAN NOT NULL,
    share DOUBLE,
    note TEXT NOT NULL,
    PRIMARY KEY (new_unit_id, old_unit_id)
);
CREATE INDEX unit_links_old ON unit_links(old_unit_id);
PRAGMA foreign_key_check;
COMMIT;
PRAGMA foreign_keys = ON;
