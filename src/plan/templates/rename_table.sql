{lock_timeout}-- zerodown-ignore rename-table: the old name stays as an updatable view for the code still using it
ALTER TABLE {old} RENAME TO {new_bare};
CREATE VIEW {old} AS SELECT * FROM {new};
