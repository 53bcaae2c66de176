-- Sluice control plane: initial schema (shared/DESIGN.md §6).
-- Entities are stored as their canonical snapshot JSON (`json`), with their identity and the
-- columns other tables reference, so foreign keys guard references and the admin API returns
-- exactly the snapshot objects. `position` keeps the working configuration's order.
-- Times are RFC 3339 UTC text ("2026-11-23T15:52:00Z").

CREATE TABLE upstreams (
    name TEXT NOT NULL PRIMARY KEY,
    position INTEGER NOT NULL,
    json TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE routes (
    name TEXT NOT NULL PRIMARY KEY,
    position INTEGER NOT NULL,
    upstream TEXT NOT NULL REFERENCES upstreams(name),
    json TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX routes_upstream ON routes(upstream);

CREATE TABLE tiers (
    name TEXT NOT NULL PRIMARY KEY,
    position INTEGER NOT NULL,
    json TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE consumers (
    id TEXT NOT NULL PRIMARY KEY,
    position INTEGER NOT NULL,
    tier TEXT NOT NULL REFERENCES tiers(name),
    json TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX consumers_tier ON consumers(tier);

CREATE TABLE jwt_keys (
    kid TEXT NOT NULL PRIMARY KEY,
    position INTEGER NOT NULL,
    json TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- API keys: only the SHA-256 (hex) of the key is stored; `prefix` is shown in listings.
CREATE TABLE api_keys (
    id TEXT NOT NULL PRIMARY KEY,
    consumer_id TEXT NOT NULL REFERENCES consumers(id) ON DELETE CASCADE,
    key_hash TEXT NOT NULL UNIQUE,
    prefix TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX api_keys_consumer ON api_keys(consumer_id);

-- Admin tokens: only the SHA-256 (hex) of the token is stored.
CREATE TABLE admin_tokens (
    id TEXT NOT NULL PRIMARY KEY,
    name TEXT NOT NULL,
    hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);

-- Published versions: immutable; history only grows.
-- `sha256` identifies the content: SHA-256 of the canonical snapshot JSON with "version": 0.
CREATE TABLE config_versions (
    version INTEGER NOT NULL PRIMARY KEY,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    comment TEXT NOT NULL,
    snapshot_json BLOB NOT NULL,
    sha256 TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('publish', 'rollback')),
    rolled_back_from INTEGER REFERENCES config_versions(version),
    CHECK ((kind = 'rollback') = (rolled_back_from IS NOT NULL))
);

CREATE TABLE dataplanes (
    node_id TEXT NOT NULL PRIMARY KEY,
    hostname TEXT NOT NULL,
    applied_version INTEGER NOT NULL,
    last_seen TEXT NOT NULL,
    last_error TEXT
);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    token_id TEXT NOT NULL,
    action TEXT NOT NULL,
    entity_kind TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    detail TEXT NOT NULL
);
