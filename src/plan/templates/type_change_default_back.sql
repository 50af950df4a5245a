DO $$
DECLARE
  d text;
  t text;
BEGIN
  SELECT pg_get_expr(ad.adbin, ad.adrelid) INTO d FROM pg_attrdef ad
  JOIN pg_attribute a ON a.attrelid = ad.adrelid AND a.attnum = ad.adnum
  WHERE ad.adrelid = {rc} AND a.attname = {src};
  t := {src_type};
  IF d IS NOT NULL THEN
    -- Undo the cast the swap wrapped the default in, or cast it back.
    IF left(d, 1) = '(' AND right(d, length(t) + 3) = ')::' || t THEN
      d := substr(d, 2, length(d) - length(t) - 4);
    ELSE
      d := '(' || d || ')::' || {old};
    END IF;
    EXECUTE format('ALTER TABLE %s ALTER COLUMN %I SET DEFAULT %s', {rc}, {dst}, d);
  END IF;
END
$$;
