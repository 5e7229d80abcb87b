-- Units of administration: a tree (city -> department/district -> commune/ward).
CREATE TABLE units (
    id TEXT PRIMARY KEY NOT NULL,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    parent_id TEXT REFERENCES units(id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX units_parent ON units(parent_id);

-- Questionnaire templates: each row is one immutable version.
CREATE TABLE templates (
    id TEXT PRIMARY KEY NOT NULL,
    key TEXT NOT NULL,
    version INTEGER NOT NULL,
    content_hash TEXT NOT NULL,
    title TEXT NOT NULL,
    source_path TEXT NOT NULL,
    source TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (key, version),
    UNIQUE (key, content_hash)
);

CREATE TABLE campaigns (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    template_id TEXT NOT NULL REFERENCES templates(id),
    period_start DATE NOT NULL,
    period_end DATE NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('draft', 'open', 'closed')),
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE campaign_units (
    campaign_id TEXT NOT NULL REFERENCES campaigns(id),
    unit_id TEXT NOT NULL REFERENCES units(id),
    PRIMARY KEY (campaign_id, unit_id)
);

-- A response holds no identity of the respondent: no name, contact, IP or invitation.
CREATE TABLE responses (
    id TEXT PRIMARY KEY NOT NULL,
    campaign_id TEXT NOT NULL REFERENCES campaigns(id),
    unit_id TEXT NOT NULL REFERENCES units(id),
    channel TEXT NOT NULL,
    submitted_on DATE NOT NULL
);
CREATE INDEX responses_campaign_unit ON responses(campaign_id, unit_id);

CREATE TABLE answers (
    response_id TEXT NOT NULL REFERENCES responses(id),
    item_code TEXT NOT NULL,
    seq INTEGER NOT NULL,
    value INTEGER,
    text_value TEXT,
    PRIMARY KEY (response_id, item_code, seq)
);

-- Counts kept in the submit transaction, so results never scan answers.
CREATE TABLE tallies (
    campaign_id TEXT NOT NULL REFERENCES campaigns(id),
    unit_id TEXT NOT NULL REFERENCES units(id),
    item_code TEXT NOT NULL,
    option_value INTEGER NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (campaign_id, unit_id, item_code, option_value)
);

-- Respondents per (campaign, unit); an item's valid_n cannot give this when items are optional.
CREATE TABLE unit_counts (
    campaign_id TEXT NOT NULL REFERENCES campaigns(id),
    unit_id TEXT NOT NULL REFERENCES units(id),
    respondents BIGINT NOT NULL,
    PRIMARY KEY (campaign_id, unit_id)
);
