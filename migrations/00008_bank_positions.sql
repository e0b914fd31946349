-- +goose Up
-- The question bank: questions kept apart from any exam, tagged by
-- competency. grams holds every distinct character and character pair of
-- the lower-cased prompt and options, so that a GIN index finds Chinese
-- words inside them: pg_trgm extracts no trigram from a two-character
-- pattern such as 投诉 and would scan every row.
CREATE TABLE bank_questions (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id     uuid NOT NULL REFERENCES organizations (id),
    type       text NOT NULL,
    tags       text[] NOT NULL DEFAULT '{}',
    question   jsonb NOT NULL,
    search     text NOT NULL,
    grams      text[] NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX bank_questions_org_idx ON bank_questions (org_id, created_at DESC, id DESC);
CREATE INDEX bank_questions_tags_idx ON bank_questions USING gin (tags);
CREATE INDEX bank_questions_grams_idx ON bank_questions USING gin (grams);

-- Positions (岗位) an exam may belong to.
CREATE TABLE positions (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id           uuid NOT NULL REFERENCES organizations (id),
    title            text NOT NULL,
    description      text NOT NULL DEFAULT '',
    responsibilities jsonb NOT NULL DEFAULT '[]',
    requirements     jsonb NOT NULL DEFAULT '[]',
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX positions_org_idx ON positions (org_id, created_at DESC);

-- +goose Down
DROP TABLE positions;
DROP TABLE bank_questions;
