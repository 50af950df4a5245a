{lock_timeout}{drop_sync}{move_default}ALTER TABLE {ts} DROP COLUMN {col};
-- zerodown-ignore rename-column: the renamed column is the temporary one, which running code ignores
ALTER TABLE {ts} RENAME COLUMN {tmp} TO {col};
{rename_objects}