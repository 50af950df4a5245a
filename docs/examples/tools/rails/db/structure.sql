CREATE TABLE users (id bigint PRIMARY KEY, legacy_token text);
