-- Takes its locks in up to {attempts} attempts, each waiting at most {max_text}
-- (100 ms more each time), with a pause between them that grows to 2 s:
-- no query queues behind this step for longer than one attempt.
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
        RAISE EXCEPTION 'gave up after % attempts to take the locks of this step (each waited at most {max_text}): %',
          zerodown_attempt, 'a long transaction holds the table; run the step again once it has ended'
          USING ERRCODE = 'lock_not_available';
      END IF;
    END;
    PERFORM pg_sleep(least(0.1 * zerodown_attempt, 2));
    zerodown_attempt := zerodown_attempt + 1;
  END LOOP;
END
$zerodown$;
