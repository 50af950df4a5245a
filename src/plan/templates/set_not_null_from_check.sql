  IF EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = {rc} AND conname = {nn}) THEN
    EXECUTE format('ALTER TABLE %s ALTER COLUMN %I SET NOT NULL', {rc}, {col_l});
    EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', {rc}, {nn});
  END IF;
