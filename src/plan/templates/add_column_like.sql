DO $$
BEGIN
  EXECUTE format('ALTER TABLE %s ADD COLUMN %I %s', {regclass}, {column_lit}, {type});
END
$$;
