-- Up to {attempts} tries to take the locks, each waiting at most {max_text}, so no query queues longer.
DO $zerodown$
DECLARE
  zerodown_attempt integer := 1;
BEGIN
  LOOP
    PERFORM set_config('lock_timeout', least(100 * zerodown_attempt, {max_ms}) || 'ms', true);
    BEGIN
{body}      EXIT;
    EXCEPTION WHEN lock_not_available THEN
      IF zerodown_attempt > {retries} THEN
        RAISE EXCEPTION 'could not take the locks in % tries of at most {max_text}: a long transaction holds the table; run the step again later',
          zerodown_attempt
          USING ERRCODE = 'lock_not_available';
      END IF;
    END;
    PERFORM pg_sleep(least(0.1 * zerodown_attempt, 2));
    zerodown_attempt := zerodown_attempt + 1;
  END LOOP;
END
$zerodown$;
