-- Loading into the user's own tables (ferry.yaml map:). Each mapped source table a run loaded,
-- recorded in the same transaction as its rows, and the key of every row it inserted into a
-- target table that has a primary key: ferry rollback deletes exactly those rows, verification
-- compares exactly those rows with the source, and a resumed run skips the tables recorded here.
CREATE TABLE IF NOT EXISTS mapped_tables (
  run_id         uuid NOT NULL REFERENCES runs ON DELETE CASCADE,
  source_table   text NOT NULL,
  target_table   text NOT NULL,
  key_columns    text[] NOT NULL,
  rows_read      bigint NOT NULL,
  rows_written   bigint NOT NULL,
  rows_set_aside bigint NOT NULL,
  bytes          bigint NOT NULL,
  seconds        double precision NOT NULL,
  rolled_back    boolean NOT NULL DEFAULT false,
  PRIMARY KEY (run_id, source_table)
);

CREATE TABLE IF NOT EXISTS mapped_rows (
  run_id       uuid NOT NULL,
  source_table text NOT NULL,
  row_key      jsonb NOT NULL,
  FOREIGN KEY (run_id, source_table) REFERENCES mapped_tables ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS mapped_rows_run ON mapped_rows (run_id, source_table);
