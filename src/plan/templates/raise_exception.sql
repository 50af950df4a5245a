DO $$
BEGIN
  RAISE EXCEPTION '%', {message};
END
$$;
