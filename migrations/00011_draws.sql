-- +goose Up
-- The questions an attempt drew from its version's draw sections, once, at
-- start: a JSON array of question ids (the bank questions' ids), in drawing
-- order. Null when the version draws nothing.
ALTER TABLE attempts ADD COLUMN drawn jsonb;

-- +goose Down
ALTER TABLE attempts DROP COLUMN drawn;
