DO $$
BEGIN
  RAISE NOTICE '%', {message};
END
$$;
