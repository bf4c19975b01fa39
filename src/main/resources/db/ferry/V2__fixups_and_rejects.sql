-- The lossless record: every value loaded in repaired form and every row set aside, with the
-- original kept verbatim (text when it is valid UTF-8 without NUL, else base64).
CREATE TABLE IF NOT EXISTS fixups (
  run_id          uuid NOT NULL REFERENCES runs ON DELETE CASCADE,
  source_table    text NOT NULL,
  target_table    text NOT NULL,
  row_key         jsonb NOT NULL,
  column_name     text NOT NULL,
  original_base64 text NOT NULL,
  original_text   text,
  loaded_value    text NOT NULL,
  reason          text NOT NULL
);
CREATE INDEX IF NOT EXISTS fixups_run_table ON fixups (run_id, source_table);

CREATE TABLE IF NOT EXISTS rejects (
  run_id       uuid NOT NULL REFERENCES runs ON DELETE CASCADE,
  source_table text NOT NULL,
  row_key      jsonb NOT NULL,
  original_row jsonb NOT NULL,
  reason       text NOT NULL
);
CREATE INDEX IF NOT EXISTS rejects_run_table ON rejects (run_id, source_table);

ALTER TABLE table_results ADD COLUMN IF NOT EXISTS rows_fixed bigint NOT NULL DEFAULT 0;
ALTER TABLE table_results ADD COLUMN IF NOT EXISTS rows_set_aside bigint NOT NULL DEFAULT 0;
ALTER TABLE runs DROP CONSTRAINT IF EXISTS runs_state_check;
ALTER TABLE runs ADD CONSTRAINT runs_state_check
  CHECK (state IN ('running', 'succeeded', 'succeeded_with_fixes', 'failed', 'verification_failed'));
