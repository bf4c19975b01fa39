-- Idempotent on purpose (here and in every later script): a run killed between a script's DDL
-- and Flyway's history row must not leave the next run unable to migrate.
-- Every ferry run and what it did per table. Written at the start of a run (state 'running')
-- and completed at its end, so a run that crashed stays visibly unfinished.
CREATE TABLE IF NOT EXISTS runs (
  run_id        uuid PRIMARY KEY,
  started_at    timestamptz NOT NULL DEFAULT now(),
  finished_at   timestamptz,
  source        text NOT NULL,
  target_schema text NOT NULL,
  state         text NOT NULL CHECK (state IN ('running', 'succeeded', 'failed', 'verification_failed')),
  exit_code     integer,
  ferry_version text NOT NULL,
  options       jsonb NOT NULL DEFAULT '{}',
  message       text
);

CREATE TABLE IF NOT EXISTS table_results (
  run_id         uuid NOT NULL REFERENCES runs ON DELETE CASCADE,
  source_table   text NOT NULL,
  target_table   text NOT NULL,
  rows_read      bigint NOT NULL,
  rows_written   bigint NOT NULL,
  rows_in_target bigint,
  bytes          bigint NOT NULL,
  seconds        double precision NOT NULL,
  verdict        text NOT NULL,
  notes          jsonb NOT NULL DEFAULT '[]',
  PRIMARY KEY (run_id, source_table)
);
