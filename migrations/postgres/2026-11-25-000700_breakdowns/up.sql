-- Breakdowns by demographic items (gender, age band, education).
-- The items a template version marks `breakdown = true`, written when the
-- version is registered, so a submission finds them with one query.
CREATE TABLE breakdown_items (
    template_id TEXT NOT NULL REFERENCES templates(id),
    item_code TEXT NOT NULL,
    PRIMARY KEY (template_id, item_code)
);

-- Counts per (campaign, unit, breakdown item and its answer, item, option),
-- kept in the same transaction as each response like `tallies`.
CREATE TABLE breakdown_tallies (
    campaign_id TEXT NOT NULL REFERENCES campaigns(id),
    unit_id TEXT NOT NULL REFERENCES units(id),
    dim_code TEXT NOT NULL,
    dim_value INTEGER NOT NULL,
    item_code TEXT NOT NULL,
    option_value INTEGER NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (campaign_id, unit_id, dim_code, dim_value, item_code, option_value)
);
