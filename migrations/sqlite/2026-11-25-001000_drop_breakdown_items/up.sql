-- Submissions take a template's breakdown items from the parsed
-- template (`Template::breakdown_scope`), so this copy is no longer read.
DROP TABLE breakdown_items;
