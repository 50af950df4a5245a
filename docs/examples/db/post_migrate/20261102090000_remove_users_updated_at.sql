-- Post-deployment: the ignore rule for users.updated_at shipped in 16.3.
SET lock_timeout = '1s';

ALTER TABLE users DROP COLUMN updated_at;
