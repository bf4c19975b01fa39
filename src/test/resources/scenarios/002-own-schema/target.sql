-- seed 002's PostgreSQL schema ("PostgreSQL Schema" in its plan), in the analytics schema
CREATE SCHEMA analytics;
CREATE TABLE analytics.articles (
    uri TEXT PRIMARY KEY,
    title TEXT,
    news_source TEXT,
    publication_date TIMESTAMP,
    submission_date TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    summary TEXT,
    category TEXT,
    future_signal TEXT,
    future_signal_explanation TEXT,
    sentiment TEXT,
    sentiment_explanation TEXT,
    time_to_impact TEXT,
    time_to_impact_explanation TEXT,
    tags TEXT,
    driver_type TEXT,
    driver_type_explanation TEXT,
    topic TEXT,
    analyzed BOOLEAN DEFAULT FALSE,
    bias TEXT,
    factual_reporting TEXT,
    mbfc_credibility_rating TEXT,
    bias_source TEXT,
    bias_country TEXT,
    press_freedom TEXT,
    media_type TEXT,
    popularity TEXT,
    topic_alignment_score REAL,
    keyword_relevance_score REAL,
    confidence_score REAL,
    overall_match_explanation TEXT,
    extracted_article_topics TEXT,
    extracted_article_keywords TEXT,
    ingest_status TEXT DEFAULT 'manual',
    quality_score REAL,
    quality_issues TEXT,
    auto_ingested BOOLEAN DEFAULT FALSE
);

CREATE TABLE analytics.raw_articles (
    id SERIAL PRIMARY KEY,
    uri TEXT NOT NULL,
    raw_markdown TEXT,
    topic TEXT,
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    FOREIGN KEY (uri) REFERENCES analytics.articles(uri) ON DELETE CASCADE
);

CREATE TABLE analytics.keyword_article_matches (
    id SERIAL PRIMARY KEY,
    article_uri TEXT NOT NULL,
    keyword_ids TEXT NOT NULL,
    group_id INTEGER NOT NULL,
    detected_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    is_read INTEGER DEFAULT 0,
    FOREIGN KEY (article_uri) REFERENCES analytics.articles(uri) ON DELETE CASCADE
);

CREATE INDEX idx_articles_topic ON analytics.articles(topic);
CREATE INDEX idx_articles_submission_date ON analytics.articles(submission_date);
CREATE INDEX idx_articles_auto_ingested ON analytics.articles(auto_ingested);
CREATE INDEX idx_articles_analyzed ON analytics.articles(analyzed);
CREATE INDEX idx_raw_articles_uri ON analytics.raw_articles(uri);
CREATE INDEX idx_keyword_matches_group_id ON analytics.keyword_article_matches(group_id);
CREATE INDEX idx_keyword_matches_detected_at ON analytics.keyword_article_matches(detected_at);

-- what the user already had: the new BulkResearch saved one article (with its cache row and an
-- alert) into PostgreSQL while the old data was still in SQLite
INSERT INTO analytics.articles (uri, title, news_source, publication_date, submission_date, topic,
                                analyzed, auto_ingested)
    VALUES ('https://news.example/new', 'Saved by the new code', 'Example Wire',
            '2024-10-03 06:00:00', '2024-10-03 06:30:00', 'AI hardware', false, true);
INSERT INTO analytics.raw_articles (uri, raw_markdown, topic, created_at)
    VALUES ('https://news.example/new', '# Saved by the new code', 'AI hardware',
            '2024-10-03 06:30:01');
INSERT INTO analytics.keyword_article_matches (article_uri, keyword_ids, group_id, detected_at)
    VALUES ('https://news.example/new', '[3]', 2, '2024-10-03 06:35:00');
