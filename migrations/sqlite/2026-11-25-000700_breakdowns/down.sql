DROP TABLE breakdown_tallies;
DROP TABLE breakdown_items;
