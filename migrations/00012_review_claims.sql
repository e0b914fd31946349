-- +goose Up
-- The claim's queues as partial indexes that match its predicate and its
-- order exactly (unscored marks, slots 0 to 2; unscored finals, slot 3;
-- ORDER BY created_at, id), so that a claim reads the queue in index order
-- and stops at the first item it may take. The old queue index lacked id
-- and covered the finals too: with statistics that lag a fresh wave of
-- essays the planner sorted every waiting item, and ran the claim's
-- anti-joins on each, at every claim (10,000 buffers a claim of a queue of
-- 2,000 in the bench).
CREATE INDEX review_items_marks_queue_idx ON review_items (org_id, exam_id, created_at, id) WHERE scored_at IS NULL AND slot < 3;
DROP INDEX review_items_queue_idx;
CREATE INDEX review_items_moderation_queue_idx ON review_items (org_id, exam_id, created_at, id) WHERE scored_at IS NULL AND slot = 3;
DROP INDEX review_items_moderation_idx;

-- +goose Down
CREATE INDEX review_items_moderation_idx ON review_items (org_id, exam_id, created_at) WHERE slot = 3 AND scored_at IS NULL;
DROP INDEX review_items_moderation_queue_idx;
CREATE INDEX review_items_queue_idx ON review_items (org_id, exam_id, created_at) WHERE scored_at IS NULL;
DROP INDEX review_items_marks_queue_idx;
