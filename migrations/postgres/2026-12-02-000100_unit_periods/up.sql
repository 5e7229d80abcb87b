-- A unit exists for a period: a code names a unit only at a given date,
-- because reorganisations reuse codes (00004 was Phường Trúc Bạch before
-- 1 July 2025 and is Phường Ba Đình from then). NULL ends are open: since
-- ever, until further notice. At most one open unit per code.
ALTER TABLE units DROP CONSTRAINT units_code_key;
ALTER TABLE units ADD COLUMN valid_from DATE;
ALTER TABLE units ADD COLUMN valid_to DATE;
CREATE INDEX units_code ON units(code);
CREATE UNIQUE INDEX units_code_open ON units(code) WHERE valid_to IS NULL;

-- Lineage: which old units a new one was formed from. `part` is false
-- when all of the old unit's people joined the new one; `share` is the
-- part's share of them when known (the official tables give none).
CREATE TABLE unit_links (
    new_unit_id TEXT NOT NULL REFERENCES units(id),
    old_unit_id TEXT NOT NULL REFERENCES units(id),
    part BOOLEAN NOT NULL,
    share DOUBLE PRECISION,
    note TEXT NOT NULL,
    PRIMARY KEY (new_unit_id, old_unit_id)
);
CREATE INDEX unit_links_old ON unit_links(old_unit_id);
