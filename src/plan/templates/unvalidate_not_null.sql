DO $$
BEGIN
  IF (SELECT attnotnull FROM pg_attribute WHERE attrelid = {rc} AND attname = {col_l})
     AND NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = {rc} AND conname = {nn}) THEN
    EXECUTE format('ALTER TABLE %s ALTER COLUMN %I DROP NOT NULL', {rc}, {col_l});
    EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I CHECK (%I IS NOT NULL) NOT VALID', {rc}, {nn}, {col_l});
  END IF;
END
$$;
