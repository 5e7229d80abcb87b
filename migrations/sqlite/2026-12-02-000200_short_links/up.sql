-- A short code per unit (and service) of a campaign, typed from a poster:
-- /k/7HQ2. An empty service_code is the unit's own link.
CREATE TABLE short_links (
    code TEXT PRIMARY KEY NOT NULL,
    campaign_id TEXT NOT NULL REFERENCES campaigns(id),
    unit_id TEXT NOT NULL REFERENCES units(id),
    service_code TEXT NOT NULL DEFAULT '',
    UNIQUE (campaign_id, unit_id, service_code)
);
