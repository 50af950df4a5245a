DO $$
DECLARE
  col record;
  batch_start bigint;
  max_key bigint;
BEGIN
  FOR col IN
    SELECT a.attrelid::regclass AS tbl, a.attname AS name,
           EXISTS (SELECT FROM pg_attribute k
                   WHERE k.attrelid = a.attrelid AND k.attname = {key} AND NOT k.attisdropped) AS batched
    FROM pg_attribute a
    JOIN pg_class c ON c.oid = a.attrelid
    WHERE a.atttypid = {type}::regtype AND a.attnum > 0 AND NOT a.attisdropped
      AND {tables}
    ORDER BY 1, 2
  LOOP
    IF col.batched THEN
      EXECUTE format('SELECT min(%I), max(%I) FROM %s', {key}, {key}, col.tbl) INTO batch_start, max_key;
      WHILE batch_start <= max_key LOOP
        EXECUTE format('UPDATE %s SET %I = %L WHERE %I >= $1 AND %I < $1 + %s AND %I = %L',
                       col.tbl, col.name, {to}, {key}, {key}, {batch}, col.name, {from})
          USING batch_start;
        PERFORM set_config('application_name', format({label}, col.tbl, batch_start, max_key), false);
        batch_start := batch_start + {batch};{commit_in_loop}
      END LOOP;
    ELSE
      EXECUTE format('UPDATE %s SET %I = %L WHERE %I = %L', col.tbl, col.name, {to}, col.name, {from});{commit}
    END IF;
  END LOOP;
END
$$;
