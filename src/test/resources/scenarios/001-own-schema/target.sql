-- seed 001's own schema, as its migration plan writes it (section 3, "Create PostgreSQL Schema")
CREATE TABLE users (
    id VARCHAR(255) PRIMARY KEY,
    username VARCHAR(255) UNIQUE NOT NULL,
    profile_data JSONB,
    profile_picture_url TEXT,
    last_scraped TIMESTAMP WITH TIME ZONE,
    created_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE tweets (
    id VARCHAR(255) PRIMARY KEY,
    user_id VARCHAR(255) NOT NULL REFERENCES users(id),
    text TEXT NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    url TEXT,
    is_reply BOOLEAN,
    metadata JSONB,
    created_in_db TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE analysis_queue (
    job_id SERIAL PRIMARY KEY,
    user_id VARCHAR(255) NOT NULL REFERENCES users(id),
    status VARCHAR(50) NOT NULL DEFAULT 'pending',
    priority INTEGER DEFAULT 0,
    total_chunks INTEGER NOT NULL,
    processed_chunks INTEGER DEFAULT 0,
    created_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP,
    started_at TIMESTAMP WITH TIME ZONE,
    completed_at TIMESTAMP WITH TIME ZONE,
    error TEXT,
    CONSTRAINT valid_status CHECK (status IN ('pending', 'processing', 'completed', 'failed'))
);

CREATE INDEX idx_tweets_user_created ON tweets(user_id, created_at);
CREATE INDEX idx_tweets_created ON tweets(created_at);
CREATE INDEX idx_tweets_text ON tweets USING gin (to_tsvector('english', text));

-- what the user already had: the new app ran against this database before the move
INSERT INTO users (id, username, profile_data, created_at)
    VALUES ('u0', 'carol', '{"bio": "already here"}', '2024-04-30 09:00:00+00');
INSERT INTO tweets (id, user_id, text, created_at, is_reply, created_in_db)
    VALUES ('t0', 'u0', 'posted after the switch', '2024-04-30 09:30:00+00', false,
            '2024-04-30 09:30:00+00');
INSERT INTO analysis_queue (job_id, user_id, status, total_chunks, processed_chunks, created_at,
                            started_at, error)
    VALUES (100, 'u0', 'failed', 2, 1, '2024-04-30 09:40:00+00', '2024-04-30 09:41:00+00',
            'timeout');
