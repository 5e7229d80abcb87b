CREATE TABLE tallies_rowid (
    campaign_id TEXT NOT NULL REFERENCES campaigns(id),
    unit_id TEXT NOT NULL REFERENCES units(id),
    item_code TEXT NOT NULL,
    option_value INTEGER NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (campaign_id, unit_id, item_code, option_value)
);
INSERT INTO tallies_rowid SELECT campaign_id, unit_id, item_code, option_value, n FROM tallies;
DROP TABLE tallies;
ALTER TABLE tallies_rowid RENAME TO tallies;

CREATE TABLE breakdown_tallies_rowid (
    campaign_id TEXT NOT NULL REFERENCES campaigns(id),
    unit_id TEXT NOT NULL REFERENCES units(id),
    dim_code TEXT NOT NULL,
    dim_value INTEGER NOT NULL,
    item_code TEXT NOT NULL,
    option_value INTEGER NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (campaign_id, unit_id, dim_code, dim_value, item_code, option_value)
);
INSERT INTO breakdown_tallies_rowid
    SELECT campaign_id, unit_id, dim_code, dim_value, item_code, option_value, n
    FROM breakdown_tallies;
DROP TABLE breakdown_tallies;
ALTER TABLE breakdown_tallies_rowid RENAME TO breakdown_tallies;
