DO $$
DECLARE
  c record;
BEGIN
  FOR c IN
    SELECT con.conname, pg_get_constraintdef(con.oid) AS def
    FROM pg_constraint con
    JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = ANY (con.conkey)
    WHERE con.conrelid = {rc} AND con.contype IN ('c', 'f') AND a.attname = {from_l}
  LOOP
    EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I %s NOT VALID', {rc},
      CASE WHEN position({from_l} in c.conname) > 0 THEN left(replace(c.conname, {from_l}, {to_l}), 63)
           ELSE left(c.conname, 54) || '_' || left(md5({to_l}), 8) END,
      regexp_replace(regexp_replace(c.def, ' NOT VALID$', ''), '\m' || {from_l} || '\M', {to_l}, 'g'));
  END LOOP;
  IF (SELECT attnotnull FROM pg_attribute WHERE attrelid = {rc} AND attname = {from_l}) THEN
    EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I CHECK (%I IS NOT NULL) NOT VALID', {rc}, {nn}, {to_l});
  END IF;
END
$$;
