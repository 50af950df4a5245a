DROP INDEX CONCURRENTLY index_users_on_email;
