-- Every write made through ferry (the explorer's --write mode, ferry maintain's retention): who,
-- when, which table, the request's filters and new values, and per row its key and the values
-- before and after, so that a change can be undone. An undo is itself an entry (undoes = the
-- entry it reverses; that entry's undone_by points back). Idempotent like every script here.
CREATE TABLE IF NOT EXISTS audit (
  audit_id    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at          timestamptz NOT NULL DEFAULT now(),
  who         text NOT NULL,
  action      text NOT NULL CHECK (action IN ('insert', 'update', 'delete')),
  schema_name text NOT NULL,
  table_name  text NOT NULL,
  key_columns text[] NOT NULL,
  filters     jsonb NOT NULL,
  new_values  jsonb,
  row_count   bigint NOT NULL DEFAULT 0,
  reason      text,
  undoes      bigint REFERENCES audit,
  undone_by   bigint REFERENCES audit
);
CREATE TABLE IF NOT EXISTS audit_rows (
  audit_id bigint NOT NULL REFERENCES audit ON DELETE CASCADE,
  row_key  jsonb NOT NULL,
  old_row  jsonb,
  new_row  jsonb
);
CREATE INDEX IF NOT EXISTS audit_rows_audit_id ON audit_rows (audit_id);
