-- +goose Up
-- Double marking. An essay of an exam with review.markers = 2 gets two
-- blind marks (slot 1 and 2), each a review item claimed, leased and scored
-- like a single-marked essay's (slot 0). Its final score is a slot 3 item,
-- written when the second mark comes in: scored at once with the marks'
-- mean when they lie within tolerance (scored_by null), or left unscored
-- for an admin to moderate. Only slots 0 and 3 count towards an attempt's
-- score; an attempt is graded when none of its items is unscored.
ALTER TABLE review_items
    ADD COLUMN slot      smallint NOT NULL DEFAULT 0 CHECK (slot BETWEEN 0 AND 3),
    ADD COLUMN tolerance numeric(10, 1),
    ALTER COLUMN points TYPE numeric(10, 2);
ALTER TABLE review_items DROP CONSTRAINT review_items_attempt_id_question_id_key;
ALTER TABLE review_items ADD CONSTRAINT review_items_attempt_question_slot_key UNIQUE (attempt_id, question_id, slot);

-- The mean of two half-point marks is a multiple of 0.25.
ALTER TABLE attempts
    ALTER COLUMN manual_score TYPE numeric(10, 2),
    ALTER COLUMN score TYPE numeric(10, 2);

-- The moderation queue: final items awaiting an admin.
CREATE INDEX review_items_moderation_idx ON review_items (org_id, exam_id, created_at) WHERE slot = 3 AND scored_at IS NULL;

-- +goose Down
DROP INDEX review_items_moderation_idx;
ALTER TABLE attempts
    ALTER COLUMN manual_score TYPE numeric(10, 1),
    ALTER COLUMN score TYPE numeric(10, 1);
DELETE FROM review_items WHERE slot IN (2, 3);
ALTER TABLE review_items DROP CONSTRAINT review_items_attempt_question_slot_key;
ALTER TABLE review_items ADD CONSTRAINT review_items_attempt_id_question_id_key UNIQUE (attempt_id, question_id);
ALTER TABLE review_items DROP COLUMN tolerance, DROP COLUMN slot, ALTER COLUMN points TYPE numeric(10, 1);
