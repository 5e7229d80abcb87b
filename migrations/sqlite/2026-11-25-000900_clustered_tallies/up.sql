-- For speed: when a response changes a unit's counts, the server
-- rereads that unit's tally and breakdown rows. In a rowid table they lie
-- wherever each was first inserted (one page per row at a million
-- responses); WITHOUT ROWID stores the rows in their primary key's B-tree,
-- so one unit's rows sit side by side and are read from a few pages.
-- PostgreSQL has no clustered table kept up on insert; it keeps its heap.
CREATE TABLE tallies_clustered (
    campaign_id TEXT NOT NULL REFERENCES campaigns(id),
    unit_id TEXT NOT NULL REFERENCES units(id),
    item_code TEXT NOT NULL,
    option_value INTEGER NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (campaign_id, unit_id, item_code, option_value)
) WITHOUT ROWID;
INSERT INTO tallies_clustered (campaign_id, unit_id, item_code, option_value, n)
    SELECT campaign_id, unit_id, item_code, option_value, n FROM tallies;
DROP TABLE tallies;
ALTER TABLE tallies_clustered RENAME TO tallies;

CREATE TABLE breakdown_tallies_clustered (
    campaign_id TEXT NOT NULL REFERENCES campaigns(id),
    unit_id TEXT NOT NULL REFERENCES units(id),
    dim_code TEXT NOT NULL,
    dim_value INTEGER NOT NULL,
    item_code TEXT NOT NULL,
    option_value INTEGER NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (campaign_id, unit_id, dim_code, dim_value, item_code, option_value)
) WITHOUT ROWID;
INSERT INTO breakdown_tallies_clustered
    (campaign_id, unit_id, dim_code, dim_value, item_code, option_value, n)
    SELECT campaign_id, unit_id, dim_code, dim_value, item_code, option_value, n
    FROM breakdown_tallies;
DROP TABLE breakdown_tallies;
ALTER TABLE breakdown_tallies_clustered RENAME TO breakdown_tallies;
