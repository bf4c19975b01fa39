-- How each committed chunk's rows were loaded (plan.SampledTable.loading: every loaded column's
-- name, type, epoch unit, repairs, nullability, identity, default and generation). A table whose
-- types came from a sample commits chunks before its last row is read; a resumed run keeps them
-- only when its own plan loads the table the same way, else it removes them and loads the table
-- again. NULL for chunks of runs before this column. Idempotent like every script here.
ALTER TABLE checkpoints ADD COLUMN IF NOT EXISTS loading text;
