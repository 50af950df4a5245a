DROP INDEX index_users_on_id_email;
