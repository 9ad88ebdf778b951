-- Users and how they sign in. roles: comma-separated role ids. password_hash: an encoded hash, never a password.
CREATE TABLE users (
    username      VARCHAR(64)   PRIMARY KEY,
    password_hash VARCHAR(512),
    roles         VARCHAR(255)  NOT NULL,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL
);

-- API keys, exchanged for tokens; only a SHA-256 of the key is kept.
CREATE TABLE api_keys (
    id         VARCHAR(32)  PRIMARY KEY,
    username   VARCHAR(64)  NOT NULL,
    name       VARCHAR(255),
    key_hash   VARCHAR(64)  NOT NULL,
    prefix     VARCHAR(16)  NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT api_keys_hash_unique UNIQUE (key_hash)
);
CREATE INDEX api_keys_username_idx ON api_keys (username);

-- Tokens signed out before they expire; kept until they would have expired.
CREATE TABLE revoked_tokens (
    token_id   VARCHAR(64) PRIMARY KEY,
    expires_at TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Secrets, AES-GCM sealed with the master key named by key_id. scope_id: '' (global), username or instance id.
CREATE TABLE secrets (
    id         VARCHAR(32)  PRIMARY KEY,
    scope      VARCHAR(16)  NOT NULL,
    scope_id   VARCHAR(64)  NOT NULL,
    name       VARCHAR(128) NOT NULL,
    key_id     VARCHAR(32)  NOT NULL,
    ciphertext ${bytes}     NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_by VARCHAR(255),
    CONSTRAINT secrets_address_unique UNIQUE (scope, scope_id, name)
);

-- The append-only audit log.
CREATE TABLE audit_log (
    id     VARCHAR(32)  PRIMARY KEY,
    at     TIMESTAMP WITH TIME ZONE NOT NULL,
    actor  VARCHAR(255) NOT NULL,
    action VARCHAR(255) NOT NULL,
    target VARCHAR(255),
    result VARCHAR(255) NOT NULL,
    source VARCHAR(64)
);
CREATE INDEX audit_log_at_idx ON audit_log (at);
CREATE INDEX audit_log_actor_idx ON audit_log (actor, at);
