DO $$
DECLARE
  c record;
BEGIN
  FOR c IN
    SELECT con.conname FROM pg_constraint con
    JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = ANY (con.conkey)
    WHERE con.conrelid = {rc} AND NOT con.convalidated AND a.attname = {col_l}
  LOOP
    EXECUTE format('ALTER TABLE %s VALIDATE CONSTRAINT %I', {rc}, c.conname);
  END LOOP;
{set_not_null}END
$$;
