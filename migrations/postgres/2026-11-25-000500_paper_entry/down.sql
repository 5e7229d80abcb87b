DROP TABLE entry_batches;
