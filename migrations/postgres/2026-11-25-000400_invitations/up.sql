-- Personal links: one per dossier returned by a one-stop system (channel 'api')
-- or per surveyed manager on a recipient list (channel 'email').
-- The link token is never stored: it is derived from the invitation id with a
-- server secret when needed, and only its SHA-256 is kept for lookups.
-- No response row refers to an invitation; answering only sets status and the day.
CREATE TABLE invitations (
    id TEXT PRIMARY KEY NOT NULL,
    campaign_id TEXT NOT NULL REFERENCES campaigns(id),
    unit_id TEXT NOT NULL REFERENCES units(id),
    channel TEXT NOT NULL CHECK (channel IN ('api', 'email')),
    token_hash TEXT NOT NULL UNIQUE,
    service_code TEXT,
    dossier_id TEXT,
    email TEXT,
    respondent_group TEXT,
    status TEXT NOT NULL CHECK (status IN ('issued', 'queued', 'sent', 'failed', 'bounced', 'answered')),
    status_detail TEXT,
    answered_on DATE,
    progress TEXT,
    created_on DATE NOT NULL,
    UNIQUE (campaign_id, dossier_id)
);
CREATE INDEX invitations_campaign_unit ON invitations(campaign_id, unit_id);
