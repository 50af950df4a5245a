  IF TG_OP = 'INSERT' THEN
    IF NEW.{b} IS NULL THEN
      NEW.{b} := NEW.{a};
    ELSIF NEW.{a} IS NULL THEN
      NEW.{a} := NEW.{b};
    END IF;
  ELSIF NEW.{b} IS NOT DISTINCT FROM OLD.{b} THEN
    NEW.{b} := NEW.{a};
  ELSIF NEW.{a} IS NOT DISTINCT FROM OLD.{a} THEN
    NEW.{a} := NEW.{b};
  END IF;
