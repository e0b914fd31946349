-- +goose Up
-- The limiter's keys are stored as their SHA-256: an email of any length
-- (or with bytes text cannot hold) is counted, and the index stays small.
-- Rows already counted keep counting under their hashed key.
ALTER TABLE auth_failures ADD COLUMN key_hash bytea;
UPDATE auth_failures SET key_hash = sha256(convert_to(key, 'UTF8'));
ALTER TABLE auth_failures ALTER COLUMN key_hash SET NOT NULL;
DROP INDEX auth_failures_lookup_idx;
ALTER TABLE auth_failures DROP COLUMN key;
CREATE INDEX auth_failures_lookup_idx ON auth_failures (scope, key_hash, at);

-- Where each user last logged in successfully from (the SHA-256 of the client
-- address), so the cross-address login ceiling spares addresses the user is
-- known at. Rows older than 30 days no longer count and are deleted.
CREATE TABLE login_addresses (
    user_id   uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    addr_hash bytea NOT NULL,
    at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, addr_hash)
);
CREATE INDEX login_addresses_at_idx ON login_addresses (at);

-- The token a refresh token was issued from, so that a token presented again
-- within the grace period can be told apart from reuse: reuse is allowed only
-- while none of its successors has been used.
ALTER TABLE refresh_tokens ADD COLUMN parent_id uuid REFERENCES refresh_tokens (id) ON DELETE CASCADE;
CREATE INDEX refresh_tokens_parent_idx ON refresh_tokens (parent_id) WHERE parent_id IS NOT NULL;

-- +goose Down
DROP INDEX refresh_tokens_parent_idx;
ALTER TABLE refresh_tokens DROP COLUMN parent_id;
DROP TABLE login_addresses;
-- Hashed keys cannot be turned back into text: the short-lived failure
-- counts are dropped.
DELETE FROM auth_failures;
DROP INDEX auth_failures_lookup_idx;
ALTER TABLE auth_failures DROP COLUMN key_hash;
ALTER TABLE auth_failures ADD COLUMN key text NOT NULL;
CREATE INDEX auth_failures_lookup_idx ON auth_failures (scope, key, at);
