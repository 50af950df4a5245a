{lock_timeout}DROP VIEW IF EXISTS {old};
ALTER TABLE {new} RENAME TO {bare};
