-- Public services (thủ tục hành chính) a campaign collects answers for, so an
-- open link or QR code can name the service the citizen just used.
CREATE TABLE campaign_services (
    campaign_id TEXT NOT NULL REFERENCES campaigns(id),
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    PRIMARY KEY (campaign_id, code)
);

ALTER TABLE responses ADD COLUMN service_code TEXT;

-- One row per submitted form's idempotency key: a double click, a refresh
-- after submitting or a retried POST finds its key and stores nothing more.
-- Only the day is kept, and nothing links a key to a response.
CREATE TABLE submission_keys (
    key TEXT PRIMARY KEY NOT NULL,
    campaign_id TEXT NOT NULL REFERENCES campaigns(id),
    created_on DATE NOT NULL
);

-- Submissions per device cookie and campaign, for the per-device cap on open links.
CREATE TABLE device_submissions (
    device_id TEXT NOT NULL,
    campaign_id TEXT NOT NULL REFERENCES campaigns(id),
    n BIGINT NOT NULL,
    PRIMARY KEY (device_id, campaign_id)
);
