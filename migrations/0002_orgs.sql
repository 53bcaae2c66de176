-- Organisations (issue #6): shared rate limits for the consumers whose `org` names them. No
-- foreign key from consumers: a consumer's org may name no org (it then has no org limit), and
-- deleting an org leaves its consumers as they are.

CREATE TABLE orgs (
    id TEXT NOT NULL PRIMARY KEY,
    position INTEGER NOT NULL,
    json TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
