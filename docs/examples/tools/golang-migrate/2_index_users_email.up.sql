-- One statement: golang-migrate sends it alone, outside a transaction.
CREATE INDEX CONCURRENTLY index_users_on_email ON users (email);
