-- Recreated empty: nothing reads it; registering a template no longer fills it.
CREATE TABLE breakdown_items (
    template_id TEXT NOT NULL REFERENCES templates(id),
    item_code TEXT NOT NULL,
    PRIMARY KEY (template_id, item_code)
);
