-- drizzle-kit migrate runs every pending migration in one transaction.
CREATE INDEX CONCURRENTLY "users_email_idx" ON "users" ("email");
