-- A published campaign: its ranking report is public, with no login.
CREATE TABLE campaign_publications (
    campaign_id TEXT PRIMARY KEY NOT NULL REFERENCES campaigns(id),
    published_on DATE NOT NULL
);
