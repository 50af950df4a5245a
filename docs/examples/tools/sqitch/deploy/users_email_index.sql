-- sqitch runs the script as written: no transaction of its own.
CREATE INDEX CONCURRENTLY index_users_on_email ON users (email);
