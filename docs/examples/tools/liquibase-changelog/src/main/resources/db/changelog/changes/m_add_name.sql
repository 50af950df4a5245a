--liquibase formatted sql

--changeset dev:3
SET lock_timeout = '2s';
ALTER TABLE users ADD COLUMN name text;
--rollback ALTER TABLE users DROP COLUMN name;
