DO $$
DECLARE
  o record;
BEGIN
  FOR o IN
    SELECT DISTINCT con.conname AS name, true AS is_constraint FROM pg_constraint con
    JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = ANY (con.conkey)
    WHERE con.conrelid = {rc} AND a.attname = {col_l} AND position({from_l} in con.conname) > 0
    UNION
    SELECT DISTINCT c.relname, false FROM pg_index i
    JOIN pg_class c ON c.oid = i.indexrelid
    JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
    WHERE i.indrelid = {rc} AND a.attname = {col_l} AND position({from_l} in c.relname) > 0
      AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid AND k.conrelid = {rc})
  LOOP
    IF o.is_constraint THEN
      EXECUTE format('ALTER TABLE %s RENAME CONSTRAINT %I TO %I', {rc}, o.name, left(replace(o.name, {from_l}, {to_l}), 63));
    ELSE
      EXECUTE format('ALTER INDEX %s RENAME TO %I', {index}, left(replace(o.name, {from_l}, {to_l}), 63));
    END IF;
  END LOOP;
END
$$;
