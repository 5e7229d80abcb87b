-- The durable outbox. A message is queued in the same transaction as
-- its invitation and sent by a background worker. It holds no link token and
-- no body: both are rendered from the invitation id at send time, so a leaked
-- outbox reveals nothing that opens a form. Workers claim rows with a lease
-- (claimed_by, lease_until); a crashed worker's claims come back when the lease
-- ends. No response ever refers to a message or an invitation.
CREATE TABLE outbox_messages (
    id TEXT PRIMARY KEY NOT NULL,
    invitation_id TEXT NOT NULL REFERENCES invitations(id),
    kind TEXT NOT NULL CHECK (kind IN ('invitation', 'reminder')),
    status TEXT NOT NULL CHECK (status IN ('queued', 'sending', 'sent', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP NOT NULL,
    claimed_by TEXT,
    lease_until TIMESTAMP,
    last_error TEXT,
    created_at TIMESTAMP NOT NULL,
    sent_at TIMESTAMP
);
CREATE INDEX outbox_messages_due ON outbox_messages(status, next_attempt_at);
CREATE INDEX outbox_messages_invitation ON outbox_messages(invitation_id);
