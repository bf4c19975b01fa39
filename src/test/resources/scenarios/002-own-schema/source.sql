-- seed 002's SQLite database (app/data/fnaapp.db), a few rows: the article tables its plan moves
-- to the analytics PostgreSQL database, and config tables that stay in SQLite (--only leaves them
-- out). Feeds wrote publication_date RFC 822 style or ISO or not at all (''), booleans are 0/1,
-- and one old keyword match has no group (group_id was nullable in SQLite, NOT NULL in the new one)
CREATE TABLE articles (
  uri TEXT PRIMARY KEY,
  title TEXT,
  news_source TEXT,
  publication_date TEXT,
  submission_date DATETIME DEFAULT CURRENT_TIMESTAMP,
  summary TEXT,
  category TEXT,
  sentiment TEXT,
  tags TEXT,
  topic TEXT,
  analyzed BOOLEAN DEFAULT 0,
  bias TEXT,
  factual_reporting TEXT,
  topic_alignment_score REAL,
  ingest_status TEXT DEFAULT 'manual',
  auto_ingested BOOLEAN DEFAULT 0
);
CREATE TABLE raw_articles (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  uri TEXT NOT NULL REFERENCES articles(uri),
  raw_markdown TEXT,
  topic TEXT,
  created_at DATETIME DEFAULT CURRENT_TIMESTAMP
);
CREATE TABLE keyword_article_matches (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  article_uri TEXT NOT NULL REFERENCES articles(uri),
  keyword_ids TEXT NOT NULL,
  group_id INTEGER,
  detected_at DATETIME DEFAULT CURRENT_TIMESTAMP,
  is_read INTEGER DEFAULT 0
);
CREATE TABLE app_config (config_key TEXT PRIMARY KEY, config_value TEXT);
CREATE TABLE users (id INTEGER PRIMARY KEY, username TEXT UNIQUE, password_hash TEXT);
INSERT INTO articles VALUES
  ('https://news.example/ai-chips', 'AI chips sell out', 'Example Wire',
   'Mon, 30 Sep 2024 14:05:00 GMT', '2024-09-30 15:00:00', 'Demand outpaces supply.', 'AI',
   'positive', 'ai,chips', 'AI hardware', 1, 'Least Biased', 'High', 0.85, 'auto', 1),
  ('https://news.example/grid', 'Grid storage doubles', 'Energy Daily',
   'Tue, 01 Oct 2024 09:30:00 +0200', '2024-10-01 08:00:00', NULL, 'Energy', 'neutral', '',
   'Energy', 0, NULL, NULL, NULL, 'manual', 0),
  ('https://news.example/quantum', 'Qubits, again', 'Lab Notes', '2024-09-29T08:00:00',
   '2024-09-29 09:00:00', 'Another record.', 'Quantum', 'mixed', 'quantum', 'Quantum', 1,
   'Left-Center', 'Mostly Factual', 0.5, 'auto', 1),
  ('https://news.example/undated', 'Undated brief', 'Example Wire', '',
   '2024-10-02 10:00:00', NULL, NULL, NULL, NULL, 'AI hardware', 0, NULL, NULL, NULL, 'manual', 0);
INSERT INTO raw_articles (id, uri, raw_markdown, topic, created_at) VALUES
  (1, 'https://news.example/ai-chips', '# AI chips sell out' || char(10) || 'Demand…', 'AI hardware',
   '2024-09-30 15:00:01'),
  (2, 'https://news.example/quantum', '# Qubits, again', 'Quantum', '2024-09-29 09:00:01');
INSERT INTO keyword_article_matches VALUES
  (1, 'https://news.example/ai-chips', '[3, 7]', 2, '2024-09-30 15:05:00', 0),
  (2, 'https://news.example/quantum', '[9]', 4, '2024-09-29 09:05:00', 1),
  (3, 'https://news.example/grid', '[1]', NULL, '2024-10-01 08:05:00', 0);
INSERT INTO app_config VALUES ('theme', 'dark');
INSERT INTO users VALUES (1, 'admin', 'pbkdf2$...');
