DROP TABLE unit_links;
DELETE FROM units WHERE valid_to IS NOT NULL;
DROP INDEX units_code_open;
DROP INDEX units_code;
ALTER TABLE units DROP COLUMN valid_to;
ALTER TABLE units DROP COLUMN valid_from;
ALTER TABLE units ADD CONSTRAINT units_code_key UNIQUE (code);
