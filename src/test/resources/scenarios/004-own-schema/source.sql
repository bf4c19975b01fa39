-- seed 004: two of its eleven SQLite stores, as one database for the scenario: the memory store
-- (items with a TTL, times as REAL epoch seconds, '' for "never expires") and the knowledge graph
-- (nodes and edges with provenance as JSON text)
CREATE TABLE memory (
  id INTEGER PRIMARY KEY,
  tenant TEXT NOT NULL,
  namespace TEXT NOT NULL,
  key TEXT NOT NULL,
  value TEXT,
  created REAL NOT NULL,
  expires REAL,
  UNIQUE (tenant, namespace, key)
);
CREATE TABLE kg_node (
  id INTEGER PRIMARY KEY,
  tenant TEXT NOT NULL,
  label TEXT NOT NULL,
  type TEXT NOT NULL,
  props TEXT,
  provenance TEXT
);
CREATE TABLE kg_edge (
  id INTEGER PRIMARY KEY,
  src INTEGER NOT NULL REFERENCES kg_node(id),
  dst INTEGER NOT NULL REFERENCES kg_node(id),
  relation TEXT NOT NULL,
  weight REAL,
  provenance TEXT
);
INSERT INTO memory VALUES
  (1, 'acme', 'chat', 'greeting', '{"text": "hello", "lang": "en"}', 1717236000.25, 1717322400.25),
  (2, 'acme', 'chat', 'persona', '{"tone": "friendly"}', 1717236001, ''),
  (3, 'beta', 'notes', 'todo', '["a", "b"]', 1717236002.000001, NULL);
INSERT INTO kg_node VALUES
  (10, 'acme', 'Ada Lovelace', 'person', '{"born": 1815}', '{"source": "wiki", "rev": 3}'),
  (11, 'acme', 'Analytical Engine', 'machine', '{}', NULL);
INSERT INTO kg_edge VALUES
  (100, 10, 11, 'wrote_about', 0.75, '{"source": "wiki"}');
