-- seed 001's SQLite database (see dev.ferry.examples.TwitterExample), a few rows; tweets.created_at
-- holds REAL epoch seconds as the scraper wrote them, one user has an empty profile_picture_url
CREATE TABLE users (
  id TEXT PRIMARY KEY,
  username TEXT UNIQUE NOT NULL,
  profile_data TEXT,
  profile_picture_url TEXT,
  last_scraped DATETIME,
  created_at DATETIME DEFAULT CURRENT_TIMESTAMP
);
CREATE TABLE tweets (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id),
  text TEXT NOT NULL,
  created_at DATETIME NOT NULL,
  url TEXT,
  is_reply BOOLEAN DEFAULT 0,
  metadata TEXT,
  created_in_db DATETIME DEFAULT CURRENT_TIMESTAMP
);
CREATE TABLE analysis_queue (
  job_id INTEGER PRIMARY KEY AUTOINCREMENT,
  user_id TEXT NOT NULL REFERENCES users(id),
  status TEXT NOT NULL DEFAULT 'pending',
  priority INTEGER DEFAULT 0,
  total_chunks INTEGER NOT NULL,
  processed_chunks INTEGER DEFAULT 0,
  created_at DATETIME DEFAULT CURRENT_TIMESTAMP,
  started_at DATETIME,
  completed_at DATETIME,
  error TEXT
);
INSERT INTO users VALUES
  ('u1', 'alice', '{"followers": 120, "bio": "hi"}', 'https://pbs.example/a.jpg',
   '2024-05-08 20:52:23', '2024-05-01 10:00:00'),
  ('u2', 'bob', '{"bio": "x", "followers": 3}', '', NULL, '2024-05-02 11:30:00');
INSERT INTO tweets VALUES
  ('t1', 'u1', 'first tweet', 1715201543.347495, 'https://x.example/t1', 0,
   '{"lang": "en"}', '2024-05-08 21:00:00'),
  ('t2', 'u1', 'a reply', 1715201600, 'https://x.example/t2', 1, NULL, '2024-05-08 21:00:00'),
  ('t3', 'u2', 'été 😀', 1715201601.5, NULL, 0, '{"lang": "fr", "lang2": null}',
   '2024-05-08 21:00:01');
INSERT INTO analysis_queue
  (job_id, user_id, status, priority, total_chunks, processed_chunks, created_at, started_at,
   completed_at, error) VALUES
  (1, 'u1', 'completed', 0, 3, 3, '2024-05-08 21:00:00', '2024-05-08 21:00:01',
   '2024-05-08 21:02:00', NULL),
  (2, 'u2', 'pending', 5, 1, 0, '2024-05-08 21:05:00', NULL, NULL, '');
