-- What each run created in the target, recorded in the same transaction as the creation, so that
-- ferry rollback removes exactly that and nothing else.
CREATE TABLE IF NOT EXISTS objects (
  run_id      uuid NOT NULL REFERENCES runs ON DELETE CASCADE,
  kind        text NOT NULL CHECK (kind IN ('schema', 'table', 'view')),
  schema_name text NOT NULL,
  object_name text NOT NULL,
  replaced    boolean NOT NULL DEFAULT false,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (run_id, kind, schema_name, object_name)
);

ALTER TABLE runs DROP CONSTRAINT IF EXISTS runs_state_check;
ALTER TABLE runs ADD CONSTRAINT runs_state_check CHECK (state IN
  ('running', 'succeeded', 'succeeded_with_fixes', 'failed', 'verification_failed', 'rolled_back'));
