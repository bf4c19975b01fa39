-- seed 000's own schema, written from its SQLAlchemy models (TweetCache: UUID id, tweet_id unique,
-- cache_complete and media_processed booleans, content_data "JSONB for PostgreSQL", created_at and
-- updated_at DateTime) and its processing-queue repository (tweet_id, status, priority,
-- created_at, processed_at) with the indexes its migration guide creates
CREATE TABLE tweet_cache (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    tweet_id VARCHAR NOT NULL UNIQUE,
    cache_complete BOOLEAN DEFAULT false,
    media_processed BOOLEAN DEFAULT false,
    content_data JSONB,
    created_at TIMESTAMP WITHOUT TIME ZONE DEFAULT (now() AT TIME ZONE 'utc'),
    updated_at TIMESTAMP WITHOUT TIME ZONE DEFAULT (now() AT TIME ZONE 'utc')
);
CREATE INDEX idx_tweet_cache_status ON tweet_cache(cache_complete, media_processed);
CREATE INDEX idx_tweet_cache_created ON tweet_cache(created_at);

CREATE TABLE tweet_processing_queue (
    id SERIAL PRIMARY KEY,
    tweet_id VARCHAR NOT NULL UNIQUE,
    status VARCHAR(20) NOT NULL DEFAULT 'unprocessed'
        CHECK (status IN ('unprocessed', 'processing', 'processed', 'failed')),
    priority INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMP WITHOUT TIME ZONE DEFAULT (now() AT TIME ZONE 'utc'),
    processed_at TIMESTAMP WITHOUT TIME ZONE
);
CREATE INDEX idx_processing_queue_status ON tweet_processing_queue(status);
CREATE INDEX idx_processing_queue_priority ON tweet_processing_queue(priority, created_at);

-- what the user already had: the new app cached one tweet and queued it before the move
INSERT INTO tweet_cache (tweet_id, cache_complete, content_data)
    VALUES ('1749999999999999999', true, '{"note": "cached by the new app"}');
INSERT INTO tweet_processing_queue (tweet_id, status, priority)
    VALUES ('1749999999999999999', 'failed', 3);
