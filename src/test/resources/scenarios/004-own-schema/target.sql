-- seed 004's own schema, written from its unified store adapter: "normalized design, foreign keys,
-- JSON columns, unique constraints across tenants/workspaces, tenant isolation"; MemoryItem with
-- TTL pruning, KGNode and KGEdge with provenance tracking
CREATE TABLE memory_items (
    id BIGINT PRIMARY KEY,
    tenant_id VARCHAR(64) NOT NULL,
    namespace VARCHAR(128) NOT NULL,
    key VARCHAR(255) NOT NULL,
    content JSONB,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at TIMESTAMP WITH TIME ZONE,
    UNIQUE (tenant_id, namespace, key)
);
CREATE INDEX ix_memory_items_expires ON memory_items (expires_at);

CREATE TABLE kg_nodes (
    id BIGINT PRIMARY KEY,
    tenant_id VARCHAR(64) NOT NULL,
    label VARCHAR(255) NOT NULL,
    node_type VARCHAR(64) NOT NULL,
    properties JSONB NOT NULL DEFAULT '{}'::jsonb,
    provenance JSONB
);

CREATE TABLE kg_edges (
    id BIGINT PRIMARY KEY,
    source_id BIGINT NOT NULL REFERENCES kg_nodes(id),
    target_id BIGINT NOT NULL REFERENCES kg_nodes(id),
    relation VARCHAR(64) NOT NULL,
    weight REAL,
    provenance JSONB
);

-- what the user already had: another tenant's memory item and graph node
INSERT INTO memory_items (id, tenant_id, namespace, key, content, created_at)
    VALUES (50, 'gamma', 'chat', 'greeting', '{"text": "hi"}', '2024-05-31 00:00:00+00');
INSERT INTO kg_nodes (id, tenant_id, label, node_type) VALUES (1, 'gamma', 'Charles Babbage', 'person');
