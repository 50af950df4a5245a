DO $$
DECLARE
  batch_start bigint;
  max_key bigint;
BEGIN
  SELECT min({key}), max({key}) INTO batch_start, max_key FROM {t};
  WHILE batch_start <= max_key LOOP
    UPDATE {t} SET {set}
    WHERE {key} >= batch_start AND {key} < batch_start + {batch}{cond};
    PERFORM set_config('application_name', format({label}, batch_start, max_key), false);
    batch_start := batch_start + {batch};{commit}
  END LOOP;
END
$$;
