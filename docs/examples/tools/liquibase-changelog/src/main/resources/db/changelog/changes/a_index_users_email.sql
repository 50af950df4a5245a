--liquibase formatted sql

--changeset dev:2 runInTransaction:false
-- Runs after z_create_users.sql: the master changelog's order, not the
-- path order.
CREATE INDEX CONCURRENTLY index_users_on_email ON users (email);
--rollback DROP INDEX CONCURRENTLY index_users_on_email;
