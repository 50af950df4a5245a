--liquibase formatted sql

--changeset dev:5
COMMENT ON TABLE users IS 'people';
