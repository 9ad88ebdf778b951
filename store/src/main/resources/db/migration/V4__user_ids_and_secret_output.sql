-- Whether a command ran with secret values in its environment: then its output is shown only to those who may
-- read the instance's secrets. Earlier history cannot say, so it is treated as if it did.
ALTER TABLE executions ADD COLUMN with_secrets BOOLEAN DEFAULT TRUE NOT NULL;
