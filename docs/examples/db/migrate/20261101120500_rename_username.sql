SET lock_timeout = '1s';

ALTER TABLE users RENAME COLUMN username TO handle;

ALTER TABLE users ALTER COLUMN state SET NOT NULL;

UPDATE users SET settings = '{"theme": "dark"}' WHERE settings IS NULL;
