-- migrate:up transaction:false
CREATE INDEX CONCURRENTLY index_users_on_email ON users (email);

-- migrate:down
DROP INDEX CONCURRENTLY index_users_on_email;
