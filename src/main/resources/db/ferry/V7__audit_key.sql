-- The secret of this database's audit fingerprints: ferry.audit names who wrote by an HMAC of the
-- token under this key (never the token, nor a plain hash of it that someone reading the audit
-- could test guesses against offline). One row, made by the first `ferry serve --write` (32 random
-- bytes from Java's SecureRandom); readable only by the schema's owner. Idempotent like every
-- script here.
CREATE TABLE IF NOT EXISTS audit_key (
  only_row   boolean PRIMARY KEY DEFAULT true CHECK (only_row),
  secret     bytea NOT NULL CHECK (length(secret) >= 32),
  created_at timestamptz NOT NULL DEFAULT now()
);
REVOKE ALL ON audit_key FROM PUBLIC;
