-- Each unit's sample target for a campaign, allocated from its transaction count
-- (`sipas sample-size --campaign ID --transactions FILE.csv`, methodology §4.5).
CREATE TABLE unit_targets (
    campaign_id TEXT NOT NULL REFERENCES campaigns(id),
    unit_id TEXT NOT NULL REFERENCES units(id),
    transactions BIGINT NOT NULL,
    target BIGINT NOT NULL,
    PRIMARY KEY (campaign_id, unit_id)
);

-- The campaign whose figures a campaign's results are compared with by default
-- (`sipas campaigns create --previous ID`); `?compare=ID` overrides it.
CREATE TABLE campaign_baselines (
    campaign_id TEXT PRIMARY KEY NOT NULL REFERENCES campaigns(id),
    previous_id TEXT NOT NULL REFERENCES campaigns(id)
);
