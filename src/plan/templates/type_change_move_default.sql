DO $$
DECLARE
  d text;
BEGIN
  SELECT pg_get_expr(ad.adbin, ad.adrelid) INTO d FROM pg_attrdef ad
  JOIN pg_attribute a ON a.attrelid = ad.adrelid AND a.attnum = ad.adnum
  WHERE ad.adrelid = {rc} AND a.attname = {src};
  IF d IS NOT NULL THEN
    EXECUTE format('ALTER TABLE %s ALTER COLUMN %I SET DEFAULT (%s)::%s', {rc}, {dst}, d, {dst_type});
  END IF;
END
$$;
