CREATE TABLE "users" ("id" BIGINT PRIMARY KEY, "email" TEXT);
