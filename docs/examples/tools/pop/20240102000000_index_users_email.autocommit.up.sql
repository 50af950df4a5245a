CREATE INDEX CONCURRENTLY index_users_on_email ON users (email);
