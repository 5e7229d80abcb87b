-- Respondents per unit and day, kept in the submit transaction like
-- unit_counts, for the dashboard's "today" and "this week".
CREATE TABLE unit_day_counts (
    campaign_id TEXT NOT NULL,
    unit_id TEXT NOT NULL,
    day DATE NOT NULL,
    respondents BIGINT NOT NULL,
    PRIMARY KEY (campaign_id, unit_id, day)
);
INSERT INTO unit_day_counts (campaign_id, unit_id, day, respondents)
SELECT campaign_id, unit_id, submitted_on, COUNT(*) FROM responses
GROUP BY campaign_id, unit_id, submitted_on;
