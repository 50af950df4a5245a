  FOR fk IN SELECT conrelid::regclass AS tbl, conname FROM pg_constraint
            WHERE confrelid = {rc} AND contype = 'f' AND NOT convalidated
  LOOP
    EXECUTE format('ALTER TABLE %s VALIDATE CONSTRAINT %I', fk.tbl, fk.conname);
  END LOOP;
