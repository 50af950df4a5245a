-- Two statements: one query, an implicit transaction: CONCURRENTLY fails.
SET lock_timeout = '1s';
CREATE INDEX CONCURRENTLY "users_id_email_idx" ON "users" ("id", "email");
