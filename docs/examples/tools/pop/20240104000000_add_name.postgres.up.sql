ALTER TABLE users ADD COLUMN name varchar(255);
