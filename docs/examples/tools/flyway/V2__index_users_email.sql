-- Flyway 9+ runs a migration with CONCURRENTLY outside a transaction.
CREATE INDEX CONCURRENTLY index_users_on_email ON users (email);
