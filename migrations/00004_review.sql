-- +goose Up
-- One essay awaiting (or having had) a reviewer's score. Claimed = a live
-- lease (lease_expires_at > now()); an expired lease puts it back in the queue.
CREATE TABLE review_items (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id           uuid NOT NULL REFERENCES organizations (id),
    exam_id          uuid NOT NULL,
    attempt_id       uuid NOT NULL REFERENCES attempts (id),
    question_id      text NOT NULL,
    max_points       numeric(10, 1) NOT NULL,
    claimed_by       uuid REFERENCES users (id),
    lease_expires_at timestamptz,
    points           numeric(10, 1),
    comment          text NOT NULL DEFAULT '',
    scored_by        uuid REFERENCES users (id),
    scored_at        timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now(),
    UNIQUE (attempt_id, question_id)
);
CREATE INDEX review_items_queue_idx ON review_items (org_id, exam_id, created_at) WHERE scored_at IS NULL;
CREATE INDEX review_items_holder_idx ON review_items (claimed_by) WHERE scored_at IS NULL;

-- +goose Down
DROP TABLE review_items;
