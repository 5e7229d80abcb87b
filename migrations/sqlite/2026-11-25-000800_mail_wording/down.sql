ALTER TABLE invitations DROP COLUMN opted_out_on;
DROP TABLE campaign_mail_wording;
