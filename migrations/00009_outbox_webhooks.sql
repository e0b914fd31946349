-- +goose Up
-- The transactional outbox: one row per event, written in the transaction
-- of the change it reports, so a rollback sends nothing and a commit is
-- never forgotten. data is the event's body "data" as it will be sent.
CREATE TABLE outbox_events (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id     uuid NOT NULL REFERENCES organizations (id),
    type       text NOT NULL,
    -- clock_timestamp: events of one transaction keep their order.
    created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    data       jsonb NOT NULL
);

-- A receiver of an organization's events. secret is the whole
-- "whsec_..." string (needed to sign); it is shown once, on create.
CREATE TABLE webhooks (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id      uuid NOT NULL REFERENCES organizations (id),
    url         text NOT NULL,
    events      text[] NOT NULL,
    description text NOT NULL DEFAULT '',
    secret      text NOT NULL,
    created_by  uuid REFERENCES users (id),
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhooks_org_idx ON webhooks (org_id, created_at, id);

-- One event to one webhook. A worker claims a due row by moving
-- next_attempt_at past its lease (FOR UPDATE SKIP LOCKED), so no two
-- servers hold it at once; attempts counts requests sent.
CREATE TABLE webhook_deliveries (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    webhook_id      uuid NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    org_id          uuid NOT NULL REFERENCES organizations (id),
    event_id        uuid NOT NULL REFERENCES outbox_events (id),
    status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts        integer NOT NULL DEFAULT 0,
    last_status     integer,
    last_error      text NOT NULL DEFAULT '',
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    lease_until     timestamptz,
    delivered_at    timestamptz,
    created_at      timestamptz NOT NULL DEFAULT clock_timestamp(),
    UNIQUE (webhook_id, event_id)
);
CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_list_idx ON webhook_deliveries (webhook_id, created_at DESC, id DESC);

-- E-mail invitations. language chooses the message's language;
-- email_status is what recruiters see.
ALTER TABLE invitations ADD COLUMN language text NOT NULL DEFAULT 'zh-CN' CHECK (language IN ('zh-CN', 'en'));
ALTER TABLE invitations ADD COLUMN email_status text NOT NULL DEFAULT 'none'
    CHECK (email_status IN ('none', 'pending', 'sent', 'failed'));

-- One invitation e-mail to send, written with the invitation. link holds
-- the token (only its hash is kept elsewhere) until the mail is sent or
-- failed, then it is cleared. Claimed like webhook deliveries.
CREATE TABLE email_outbox (
    invitation_id   uuid PRIMARY KEY REFERENCES invitations (id),
    org_id          uuid NOT NULL REFERENCES organizations (id),
    link            text NOT NULL,
    status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
    attempts        integer NOT NULL DEFAULT 0,
    last_error      text NOT NULL DEFAULT '',
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    lease_until     timestamptz,
    sent_at         timestamptz
);
CREATE INDEX email_outbox_due_idx ON email_outbox (next_attempt_at) WHERE status = 'pending';

-- +goose Down
DROP TABLE email_outbox;
ALTER TABLE invitations DROP COLUMN email_status;
ALTER TABLE invitations DROP COLUMN language;
DROP TABLE webhook_deliveries;
DROP TABLE webhooks;
DROP TABLE outbox_events;
