--liquibase formatted sql

--changeset dev:4 runInTransaction:false
CREATE INDEX CONCURRENTLY index_users_on_name ON users (name);
--rollback DROP INDEX CONCURRENTLY index_users_on_name;
