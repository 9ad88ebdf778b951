-- Whether a command ran with secret values in its environment: then its output is shown only to those who may
-- read the instance's secrets. Earlier history cannot say, so it is treated as if it did.
ALTER TABLE executions ADD COLUMN with_secrets BOOLEAN DEFAULT TRUE NOT NULL;

-- Users get an id that is never reused, and instances and pools are owned by it: a user made later with a deleted
-- user's name inherits nothing. Accounts from before get 'user:' + their name (unique now; new ids never hold ':').
ALTER TABLE users ADD COLUMN id VARCHAR(80);
UPDATE users SET id = 'user:' || username;
ALTER TABLE users ALTER COLUMN id SET NOT NULL;
ALTER TABLE users ADD CONSTRAINT users_id_unique UNIQUE (id);

-- An owner with an account is its id; a name with no account (an OIDC user, SSH keys only) is 'name:' + the name.
-- The owner column keeps the username the API shows.
ALTER TABLE instances ADD COLUMN owner_id VARCHAR(300);
UPDATE instances SET owner_id = COALESCE((SELECT u.id FROM users u WHERE u.username = instances.owner), 'name:' || owner) WHERE owner IS NOT NULL;
CREATE INDEX instances_owner_id_idx ON instances (owner_id);
ALTER TABLE pools ADD COLUMN owner_id VARCHAR(300);
UPDATE pools SET owner_id = COALESCE((SELECT u.id FROM users u WHERE u.username = pools.owner), 'name:' || owner) WHERE owner IS NOT NULL;
