-- +goose NO TRANSACTION
-- +goose Up
CREATE INDEX CONCURRENTLY index_users_on_email ON users (email);

-- +goose Down
DROP INDEX CONCURRENTLY index_users_on_email;
