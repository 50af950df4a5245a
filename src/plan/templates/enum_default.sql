DO $$
DECLARE
  col record;
BEGIN
  FOR col IN
    SELECT a.attrelid::regclass AS tbl, a.attname AS name
    FROM pg_attribute a
    JOIN pg_class c ON c.oid = a.attrelid
    JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
    WHERE a.atttypid = {type}::regtype AND a.attnum > 0 AND NOT a.attisdropped
      AND {tables}
      AND pg_get_expr(d.adbin, d.adrelid) = format('%L::%s', {from}, format_type(a.atttypid, NULL))
    ORDER BY 1, 2
  LOOP
    EXECUTE format('ALTER TABLE %s ALTER COLUMN %I SET DEFAULT %L', col.tbl, col.name, {to});
  END LOOP;
END
$$;
