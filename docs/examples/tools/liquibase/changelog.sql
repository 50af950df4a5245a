--liquibase formatted sql

--changeset dev:1
CREATE TABLE users (id bigint PRIMARY KEY, email text);
--rollback DROP TABLE users;

--changeset dev:2 runInTransaction:false
CREATE INDEX CONCURRENTLY index_users_on_email ON users (email);
--rollback DROP INDEX CONCURRENTLY index_users_on_email;

--changeset dev:3
-- Liquibase runs this changeset in a transaction: CONCURRENTLY fails.
CREATE INDEX CONCURRENTLY index_users_on_id_email ON users (id, email);
--rollback DROP INDEX index_users_on_id_email;
