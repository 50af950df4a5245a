DO $$
BEGIN
  -- Only a NOT NULL column without a default (nor identity) breaks the code's inserts.
  IF EXISTS (
    SELECT 1 FROM pg_attribute a
    WHERE a.attrelid = {regclass} AND a.attname = {column_lit}
      AND a.attnotnull AND NOT a.atthasdef{identity}
      AND NOT EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = a.attrelid AND i.indisprimary AND a.attnum = ANY (i.indkey))
  ) THEN
    ALTER TABLE {table} ALTER COLUMN {column} DROP NOT NULL;
  END IF;
END
$$;
