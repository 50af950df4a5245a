DO $$
DECLARE
  missing text;
BEGIN
  SELECT string_agg(regexp_replace(
           regexp_replace(pg_get_indexdef(i.indexrelid), '^CREATE (UNIQUE )?INDEX \S+ ON',
             'CREATE \1INDEX CONCURRENTLY ' || quote_ident(replace(c.relname, {from_l}, {to_l})) || ' ON'),
           '\m' || {from_l} || '\M', {to_l}, 'g') || ';', E'\n')
    INTO missing
  FROM pg_index i
  JOIN pg_class c ON c.oid = i.indexrelid
  JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
  WHERE i.indrelid = {rc} AND a.attname = {from_l}{skip}
    AND NOT EXISTS (SELECT 1 FROM pg_class n WHERE n.relname = replace(c.relname, {from_l}, {to_l}) AND n.relnamespace = c.relnamespace AND n.relname <> c.relname);
  IF missing IS NOT NULL THEN
    RAISE EXCEPTION 'the indexes on % have no copy on % yet; run these in a migration outside a transaction, then rerun this one:%', {from_l}, {to_l}, E'\n' || missing;
  END IF;
END
$$;
