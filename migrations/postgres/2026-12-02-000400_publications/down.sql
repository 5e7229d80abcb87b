DROP TABLE campaign_publications;
