-- One statement: sent alone, outside a transaction.
CREATE INDEX CONCURRENTLY "users_email_idx" ON "users" ("email");
