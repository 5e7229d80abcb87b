-- Paper questionnaires typed in by enumerators: who entered a batch and how
-- many forms, never who answered them. Responses do not refer to the batch.
CREATE TABLE entry_batches (
    id TEXT PRIMARY KEY NOT NULL,
    campaign_id TEXT NOT NULL REFERENCES campaigns(id),
    unit_id TEXT NOT NULL REFERENCES units(id),
    entered_by TEXT NOT NULL,
    started_at TIMESTAMP NOT NULL,
    forms BIGINT NOT NULL
);
