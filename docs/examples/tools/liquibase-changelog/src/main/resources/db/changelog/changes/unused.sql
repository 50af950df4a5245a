--liquibase formatted sql

--changeset dev:old
-- No changelog includes this file: Liquibase never runs it.
DROP TABLE users;
