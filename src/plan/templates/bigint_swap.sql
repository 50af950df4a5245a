{lock_timeout}LOCK TABLE {ts} IN ACCESS EXCLUSIVE MODE;
DO $$
DECLARE
  fk record;
  readd text[] := '{}';
  stmt text;
  pk text;
  dflt text;
  seq text;
  idt "char";
  last bigint;
  called boolean;
  inc bigint;
  cache bigint;
  cyc boolean;
BEGIN
  -- Foreign keys pointing at the key depend on its index: drop them now, re-add them NOT VALID below.
  FOR fk IN SELECT conrelid::regclass AS tbl, conname, pg_get_constraintdef(oid) AS def
            FROM pg_constraint WHERE confrelid = {rc} AND contype = 'f'
  LOOP
    readd := readd || format('ALTER TABLE %s ADD CONSTRAINT %I %s NOT VALID', fk.tbl, fk.conname, regexp_replace(fk.def, ' NOT VALID$', ''));
    EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', fk.tbl, fk.conname);
  END LOOP;
  SELECT conname INTO pk FROM pg_constraint WHERE conrelid = {rc} AND contype = 'p';
  SELECT pg_get_expr(ad.adbin, ad.adrelid) INTO dflt FROM pg_attrdef ad
    JOIN pg_attribute att ON att.attrelid = ad.adrelid AND att.attnum = ad.adnum
    WHERE ad.adrelid = {rc} AND att.attname = {id_l};
  seq := pg_get_serial_sequence({ts_l}, {id_l});
  SELECT attidentity INTO idt FROM pg_attribute WHERE attrelid = {rc} AND attname = {id_l};
  IF idt IN ('a', 'd') THEN
    -- An identity column: its sequence goes with the identity. Note where it stands; it is re-created on the other column below.
    EXECUTE format('SELECT last_value, is_called FROM %s', seq) INTO last, called;
    SELECT seqincrement, seqcache, seqcycle INTO inc, cache, cyc FROM pg_sequence WHERE seqrelid = seq::regclass;
    EXECUTE format('ALTER TABLE %s ALTER COLUMN %I DROP IDENTITY', {rc}, {id_l});
  END IF;
  IF pk IS NULL THEN
    pk := {pk_default};
  ELSE
    EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', {rc}, pk);
  END IF;
  ALTER TABLE {ts} ALTER COLUMN {a} DROP DEFAULT;
  ALTER TABLE {ts} RENAME COLUMN {a} TO {tmp};
  ALTER TABLE {ts} RENAME COLUMN {b} TO {a};
  ALTER TABLE {ts} RENAME COLUMN {tmp} TO {b};
  ALTER TABLE {ts} ALTER COLUMN {b} SET DEFAULT 0;
  IF dflt IS NOT NULL THEN
    EXECUTE format('ALTER TABLE %s ALTER COLUMN %I SET DEFAULT %s', {rc}, {id_l}, dflt);
  END IF;
  IF idt IN ('a', 'd') THEN
    EXECUTE format('ALTER TABLE %s ALTER COLUMN %I DROP DEFAULT', {rc}, {id_l});
    EXECUTE format('ALTER TABLE %s ALTER COLUMN %I ADD GENERATED %s AS IDENTITY (SEQUENCE NAME %s START WITH %s INCREMENT BY %s CACHE %s %s)',
      {rc}, {id_l}, CASE idt WHEN 'a' THEN 'ALWAYS' ELSE 'BY DEFAULT' END, seq,
      CASE WHEN called THEN last + inc ELSE last END, inc, cache, CASE WHEN cyc THEN 'CYCLE' ELSE 'NO CYCLE' END);
  ELSIF seq IS NOT NULL THEN
    EXECUTE format('ALTER SEQUENCE %s OWNED BY %s.%I', seq, {rc}, {id_l});
    EXECUTE format('ALTER SEQUENCE %s AS {seq_type}', seq);
  END IF;
  {add_pk}
  FOREACH stmt IN ARRAY readd LOOP
    EXECUTE stmt;
  END LOOP;
{validate}END
$$;
{reset}