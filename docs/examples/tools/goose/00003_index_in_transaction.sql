-- +goose Up
-- goose runs this in a transaction: CONCURRENTLY fails.
CREATE INDEX CONCURRENTLY index_users_on_id_email ON users (id, email);

-- +goose Down
DROP INDEX index_users_on_id_email;
