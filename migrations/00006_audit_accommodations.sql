-- +goose Up
-- Every staff change worth answering "who did this, and why" for. The
-- actor's name and role are copied at the time: a later rename or role
-- change must not rewrite history. target names the changed thing
-- ("invitation:<id>", "attempt:<id>", "exam:<id>/v<n>/<question>").
CREATE TABLE audit_log (
    id          bigserial PRIMARY KEY,
    org_id      uuid NOT NULL REFERENCES organizations (id),
    at          timestamptz NOT NULL DEFAULT now(),
    actor_id    uuid REFERENCES users (id),
    actor_name  text NOT NULL DEFAULT '',
    actor_role  text NOT NULL DEFAULT '',
    action      text NOT NULL,
    target      text NOT NULL,
    details     jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_org_idx ON audit_log (org_id, at DESC, id DESC);

-- An accommodation: seconds added to the exam's time limit for this
-- invitation's attempt (also while it runs).
ALTER TABLE invitations ADD COLUMN extra_time_seconds integer NOT NULL DEFAULT 0
    CHECK (extra_time_seconds >= 0);

-- When an admin last reopened a timed-out attempt: its next submission
-- must reconcile the review items of the first one.
ALTER TABLE attempts ADD COLUMN reopened_at timestamptz;

-- Why a key was amended (required from v1.1 on; older rows have none).
ALTER TABLE key_amendments ADD COLUMN reason text NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE key_amendments DROP COLUMN reason;
ALTER TABLE attempts DROP COLUMN reopened_at;
ALTER TABLE invitations DROP COLUMN extra_time_seconds;
DROP TABLE audit_log;
