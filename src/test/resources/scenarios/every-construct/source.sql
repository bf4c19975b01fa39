CREATE TABLE "Mixed Case Table" ("Id" INTEGER PRIMARY KEY AUTOINCREMENT, "select" TEXT NOT NULL DEFAULT 'x', "with space" REAL, "quote""d" TEXT);
INSERT INTO "Mixed Case Table" ("select", "with space", "quote""d") VALUES ('a', 1.5, 'q'), ('b', NULL, NULL);
DELETE FROM "Mixed Case Table" WHERE "select" = 'b';
CREATE TABLE parents (
  id INTEGER PRIMARY KEY,
  code TEXT NOT NULL COLLATE NOCASE UNIQUE,
  name VARCHAR(40),
  created DATETIME DEFAULT CURRENT_TIMESTAMP,
  stamp TEXT DEFAULT CURRENT_TIMESTAMP,
  flag BOOLEAN NOT NULL DEFAULT 1,
  score DOUBLE,
  ratio REAL,
  price NUMERIC(10,2),
  data BLOB,
  doc JSON,
  born DATE,
  CONSTRAINT name_not_empty CHECK (length(name) > 0)
);
INSERT INTO parents (id, code, name, created, flag, score, ratio, price, data, doc, born) VALUES
  (1, 'ABC', 'first', '2024-01-02 03:04:05', 1, 0.1, 3.25, 12.5, X'00FF10', '{"a": [1, 2.50, "x"]}', '2024-02-29'),
  (2, 'def', 'second', '2024-01-02T03:04:05.123456Z', 0, 1e300, -0.0, 7, X'', '[]', '1999-12-31'),
  (5, 'GhI', NULL, NULL, 1, NULL, NULL, NULL, NULL, '42', NULL);
CREATE TABLE children (
  parent_id INTEGER NOT NULL REFERENCES parents(id) ON DELETE CASCADE ON UPDATE SET NULL,
  seq INTEGER NOT NULL,
  label TEXT CHECK (label <> ''),
  total INTEGER GENERATED ALWAYS AS (seq * 2) STORED,
  shout TEXT GENERATED ALWAYS AS (upper(label)) VIRTUAL,
  fancy TEXT GENERATED ALWAYS AS (printf('%d', seq)) STORED,
  PRIMARY KEY (parent_id, seq)
) WITHOUT ROWID;
INSERT INTO children (parent_id, seq, label) VALUES (1, 1, 'one'), (1, 2, 'two'), (2, 1, NULL);
CREATE TABLE events (
  id INTEGER PRIMARY KEY,
  kind TEXT,
  at INTEGER,
  ts TIMESTAMP,
  created_unix DATETIME,
  payload TEXT,
  is_active INTEGER NOT NULL DEFAULT 0,
  CONSTRAINT kind_ok CHECK (kind IN ('a', 'b') OR kind GLOB 'x*'),
  CHECK (is_active IN (0, 1))
);
INSERT INTO events VALUES (1, 'a', 100, 1700000000000, 1700000000, '{"a": 2}', 1), (2, 'b', 200, 1700000001000, 1700000005, '{"a": 1}', 0), (3, 'a', 300, NULL, NULL, NULL, 1);
CREATE INDEX idx_events_kind_desc ON events(kind DESC, at);
CREATE INDEX idx_events_partial ON events(at) WHERE kind = 'a';
CREATE INDEX idx_events_lower ON events(lower(kind));
CREATE INDEX idx_events_nocase ON events(kind COLLATE NOCASE);
CREATE INDEX idx_events_active ON events(at) WHERE is_active = 1;
CREATE UNIQUE INDEX idx_events_ts ON events(ts);
CREATE INDEX idx_untranslatable ON events(json_extract(payload, '$.a'));
CREATE INDEX "an index whose name is far longer than sixty-three bytes, which postgres would cut" ON events(at);
CREATE INDEX "an index whose name is far longer than sixty-three bytes, which postgres would also cut" ON events(kind);
CREATE VIEW recent_events AS SELECT id, kind FROM events WHERE at > 100;
CREATE VIEW bad_view AS SELECT typeof(at) FROM events;
CREATE TRIGGER trg AFTER INSERT ON events BEGIN SELECT 1; END;
CREATE TABLE empty_table (a TEXT, b INTEGER NOT NULL, c DATETIME, d JSON);
CREATE TABLE untyped (a, b, c, d);
INSERT INTO untyped VALUES (1, 1.5, 'text', NULL), (2, 2, '{"k": true}', NULL)
