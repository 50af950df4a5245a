BEGIN;
SET LOCAL lock_timeout = '1s';
ALTER TABLE users ADD COLUMN name text;
CREATE INDEX CONCURRENTLY index_users_on_name ON users (name);
COMMIT;
