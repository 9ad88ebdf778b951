-- SSH public keys of users, for the gateway. The fingerprint is unique: a key belongs to one user.
CREATE TABLE ssh_keys (
    id          VARCHAR(32)   PRIMARY KEY,
    username    VARCHAR(255)  NOT NULL,
    name        VARCHAR(255),
    public_key  VARCHAR(16384) NOT NULL,
    fingerprint VARCHAR(64)   NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT ssh_keys_fingerprint_unique UNIQUE (fingerprint)
);
CREATE INDEX ssh_keys_username_idx ON ssh_keys (username);
