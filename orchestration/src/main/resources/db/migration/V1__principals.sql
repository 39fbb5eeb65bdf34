-- Who may call Orderflow. API keys are stored as SHA-256 hashes; the key itself is shown once.
CREATE TABLE principal (
    id          uuid        PRIMARY KEY,
    name        text        NOT NULL,
    kind        text        NOT NULL,
    roles       text[]      NOT NULL,
    channels    text[]      NOT NULL DEFAULT '{}',
    token_hash  bytea       NOT NULL,
    token_hint  text        NOT NULL,
    -- the principal behind the admin key (ORDERFLOW_ADMIN_KEY, or the generated one)
    bootstrap   boolean     NOT NULL DEFAULT false,
    created_at  timestamptz NOT NULL,
    revoked_at  timestamptz
);

CREATE UNIQUE INDEX principal_token_hash ON principal (token_hash);
CREATE INDEX principal_active ON principal (id) WHERE revoked_at IS NULL;
