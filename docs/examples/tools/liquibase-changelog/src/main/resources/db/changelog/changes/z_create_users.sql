--liquibase formatted sql

--changeset dev:1
CREATE TABLE users (id bigint PRIMARY KEY, email text);
--rollback DROP TABLE users;
