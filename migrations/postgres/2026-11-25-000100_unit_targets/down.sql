DROP TABLE campaign_baselines;
DROP TABLE unit_targets;
