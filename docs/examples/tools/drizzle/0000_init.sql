CREATE TABLE "users" (
	"id" bigint PRIMARY KEY,
	"email" text
);
--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "name" text;
