-- One row per loaded chunk of a table, committed in the chunk's own transaction: what resume
-- continues from. Idempotent like every script here.
CREATE TABLE IF NOT EXISTS checkpoints (
  run_id       uuid NOT NULL REFERENCES runs ON DELETE CASCADE,
  source_table text NOT NULL,
  chunk        integer NOT NULL,
  upto_rowid   bigint,
  last         boolean NOT NULL,
  rows_read    bigint NOT NULL,
  rows_written bigint NOT NULL,
  bytes        bigint NOT NULL,
  sum_rows     bigint NOT NULL,
  sum_value    numeric NOT NULL,
  fixed        bigint NOT NULL,
  set_aside    bigint NOT NULL,
  PRIMARY KEY (run_id, source_table, chunk)
);
