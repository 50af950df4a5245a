-- Two statements: sent as one query, an implicit transaction: CONCURRENTLY fails.
SET lock_timeout = '1s';
CREATE INDEX CONCURRENTLY index_users_on_id_email ON users (id, email);
