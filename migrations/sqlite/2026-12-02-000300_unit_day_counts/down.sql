DROP TABLE unit_day_counts;
