DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM {ts} WHERE {pending}) THEN
    RAISE EXCEPTION 'the backfill of {name}.{new_name} has not finished; wait for it before the swap';
  END IF;
END
$$;
