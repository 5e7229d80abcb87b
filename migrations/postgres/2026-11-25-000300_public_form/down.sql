DROP TABLE device_submissions;
DROP TABLE submission_keys;
ALTER TABLE responses DROP COLUMN service_code;
DROP TABLE campaign_services;
