CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT, doc TEXT, priority INTEGER, flag BOOLEAN, at DATETIME);
INSERT INTO notes VALUES (1, 'clean', '{"a": 1}', 1, 1, '2024-01-01 00:00:00');
INSERT INTO notes VALUES (2, CAST(X'6E756C006C' AS TEXT), '{"a": "x\u0000y"}', 2, 'yes', 1704067200);
INSERT INTO notes VALUES (3, CAST(X'62616463FF' AS TEXT), '{"k": 1, "k": 2}', 'high', 'no', 'soon');
INSERT INTO notes VALUES (4, 'also clean', '[1, 2]', 3, 0, NULL);
CREATE TABLE people (email TEXT PRIMARY KEY, referrer TEXT REFERENCES people(email), age INTEGER CHECK (age >= 0));
INSERT INTO people VALUES ('a@x', NULL, 30), (NULL, 'a@x', 40), ('b@x', 'nobody@x', 50);
PRAGMA ignore_check_constraints = ON;
INSERT INTO people VALUES ('c@x', 'a@x', -1);
CREATE TABLE seen (at DATETIME UNIQUE);
INSERT INTO seen VALUES ('2024-01-01 00:00:00'), ('2024-01-01T00:00:00Z'), ('2024-01-01T01:00:00+01:00')
