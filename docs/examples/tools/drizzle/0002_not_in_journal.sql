CREATE TABLE "stray" (id bigint);
