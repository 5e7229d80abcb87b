DROP TABLE unit_counts;
DROP TABLE tallies;
DROP TABLE answers;
DROP TABLE responses;
DROP TABLE campaign_units;
DROP TABLE campaigns;
DROP TABLE templates;
DROP TABLE units;
