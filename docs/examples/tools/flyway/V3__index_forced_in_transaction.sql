CREATE INDEX CONCURRENTLY index_users_on_id_email ON users (id, email);
