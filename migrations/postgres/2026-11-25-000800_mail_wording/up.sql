-- A campaign's own invitation and reminder wording, and the
-- opt-out behind List-Unsubscribe.
-- Wording: plain text with placeholders ({unit}, {link}, {deadline}, {sender},
-- {campaign}), validated on save; no row means the catalogue default.
CREATE TABLE campaign_mail_wording (
    campaign_id TEXT NOT NULL REFERENCES campaigns(id),
    kind TEXT NOT NULL CHECK (kind IN ('invitation', 'reminder')),
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (campaign_id, kind)
);
-- The day a recipient asked for no more reminders (the day only, like answered_on).
ALTER TABLE invitations ADD COLUMN opted_out_on DATE;
