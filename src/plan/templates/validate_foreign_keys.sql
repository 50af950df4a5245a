DO $$
DECLARE
  fk record;
BEGIN
{validate}END
$$;
