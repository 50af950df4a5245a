DO $$
DECLARE
  c record;
BEGIN
  FOR c IN
    SELECT con.conname FROM pg_constraint con
    JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = ANY (con.conkey)
    WHERE con.conrelid = {rc} AND con.contype IN ('c', 'f') AND a.attname = {to_l}
  LOOP
    EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', {rc}, c.conname);
  END LOOP;
END
$$;
