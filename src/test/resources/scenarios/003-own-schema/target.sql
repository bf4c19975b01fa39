-- seed 003's own schema, written from its models (Translation with status tracking, SystemState
-- replacing file-based state): "translations: original_tweet_id, translated_text,
-- target_language, status; tweet_id + language unique; statuses pending, posted, failed, draft"
CREATE TABLE translations (
    id SERIAL PRIMARY KEY,
    original_tweet_id VARCHAR(32) NOT NULL,
    original_text TEXT,
    translated_text TEXT NOT NULL,
    target_language VARCHAR(10) NOT NULL,
    status VARCHAR(20) NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'posted', 'failed', 'draft')),
    character_count INTEGER,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    UNIQUE (original_tweet_id, target_language)
);
CREATE INDEX ix_translations_status ON translations (status);
CREATE INDEX ix_translations_created_at ON translations (created_at);

CREATE TABLE system_state (
    key VARCHAR(100) PRIMARY KEY,
    value TEXT NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- what the user already had: one translation posted by the new bot, and its state
INSERT INTO translations (original_tweet_id, original_text, translated_text, target_language,
                          status, character_count, created_at)
    VALUES ('1700000000000000009', 'Good morning', 'Guten Morgen', 'de', 'posted', 12,
            '2024-03-01 08:00:00+00');
INSERT INTO system_state (key, value) VALUES ('schema_version', '1');
