-- +goose Up
CREATE TABLE exams (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id         uuid NOT NULL REFERENCES organizations (id),
    title          text NOT NULL,
    document       jsonb NOT NULL,
    latest_version integer NOT NULL DEFAULT 0,
    created_by     uuid REFERENCES users (id),
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX exams_org_idx ON exams (org_id, created_at DESC);

-- A published version: the draft's document frozen as jsonb. It changes
-- only through a key amendment, recorded in key_amendments.
CREATE TABLE exam_versions (
    exam_id      uuid NOT NULL REFERENCES exams (id),
    version      integer NOT NULL CHECK (version >= 1),
    org_id       uuid NOT NULL REFERENCES organizations (id),
    document     jsonb NOT NULL,
    published_at timestamptz NOT NULL DEFAULT now(),
    published_by uuid REFERENCES users (id),
    PRIMARY KEY (exam_id, version)
);

CREATE TABLE key_amendments (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    exam_id     uuid NOT NULL,
    version     integer NOT NULL,
    question_id text NOT NULL,
    at          timestamptz NOT NULL DEFAULT now(),
    by_user     uuid NOT NULL REFERENCES users (id),
    old_key     jsonb NOT NULL,
    new_key     jsonb NOT NULL,
    FOREIGN KEY (exam_id, version) REFERENCES exam_versions (exam_id, version)
);
CREATE INDEX key_amendments_version_idx ON key_amendments (exam_id, version, at);

-- +goose Down
DROP TABLE key_amendments;
DROP TABLE exam_versions;
DROP TABLE exams;
