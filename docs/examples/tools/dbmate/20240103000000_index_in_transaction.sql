-- migrate:up
CREATE INDEX CONCURRENTLY index_users_on_id_email ON users (id, email);

-- migrate:down
DROP INDEX index_users_on_id_email;
