-- +goose Up
CREATE TABLE invitations (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id          uuid NOT NULL REFERENCES organizations (id),
    exam_id         uuid NOT NULL REFERENCES exams (id),
    exam_version    integer NOT NULL,
    candidate_name  text NOT NULL,
    candidate_email text NOT NULL,
    track           text NOT NULL DEFAULT '',
    token_hash      bytea NOT NULL UNIQUE,
    opens_at        timestamptz,
    closes_at       timestamptz,
    revoked_at      timestamptz,
    created_by      uuid REFERENCES users (id),
    created_at      timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (exam_id, exam_version) REFERENCES exam_versions (exam_id, version)
);
CREATE INDEX invitations_exam_idx ON invitations (org_id, exam_id, created_at);

-- One attempt per invitation (the unique key makes start idempotent).
-- submit_by = deadline + grace: the sweeper's and the save guard's limit.
-- objective_scores maps question id to points of every auto-scored question.
CREATE TABLE attempts (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    invitation_id    uuid NOT NULL UNIQUE REFERENCES invitations (id),
    org_id           uuid NOT NULL REFERENCES organizations (id),
    exam_id          uuid NOT NULL,
    exam_version     integer NOT NULL,
    track            text NOT NULL DEFAULT '',
    status           text NOT NULL DEFAULT 'in_progress'
                     CHECK (status IN ('in_progress', 'submitted', 'grading', 'graded')),
    shuffle_seed     bigint NOT NULL,
    started_at       timestamptz NOT NULL DEFAULT now(),
    deadline         timestamptz NOT NULL,
    submit_by        timestamptz NOT NULL,
    submitted_at     timestamptz,
    submitted_by     text CHECK (submitted_by IN ('candidate', 'timeout')),
    objective_scores jsonb,
    auto_score       numeric(10, 1),
    manual_score     numeric(10, 1),
    score            numeric(10, 1),
    max_score        numeric(10, 1),
    passed           boolean,
    graded_at        timestamptz,
    FOREIGN KEY (exam_id, exam_version) REFERENCES exam_versions (exam_id, version)
);
CREATE INDEX attempts_due_idx ON attempts (submit_by) WHERE status = 'in_progress';
CREATE INDEX attempts_version_idx ON attempts (exam_id, exam_version);

-- One row per (attempt, question), written by a single upsert guarded by seq.
CREATE TABLE answers (
    attempt_id  uuid NOT NULL REFERENCES attempts (id),
    question_id text NOT NULL,
    response    jsonb NOT NULL,
    seq         bigint NOT NULL CHECK (seq > 0),
    saved_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (attempt_id, question_id)
);

CREATE TABLE attempt_events (
    id             bigserial PRIMARY KEY,
    attempt_id     uuid NOT NULL REFERENCES attempts (id),
    type           text NOT NULL,
    client_at      timestamptz,
    at             timestamptz NOT NULL DEFAULT now(),
    client_address text NOT NULL
);
CREATE INDEX attempt_events_attempt_idx ON attempt_events (attempt_id, at);

-- +goose Down
DROP TABLE attempt_events;
DROP TABLE answers;
DROP TABLE attempts;
DROP TABLE invitations;
