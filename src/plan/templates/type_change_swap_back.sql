{lock_timeout}ALTER TABLE {ts} RENAME COLUMN {col} TO {tmp};
{rename_objects}ALTER TABLE {ts} ADD COLUMN {col} {old_ty};
UPDATE {ts} SET {col} = {tmp}::{old_ty};
{back}ALTER TABLE {ts} ALTER COLUMN {tmp} DROP DEFAULT;
{copy_constraints}{validate_constraints}{create_sync}