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

-- Which item each reviewer last claimed, so that the claim finds a held
-- item without an index on review_items.claimed_by: with none, a claim
-- (which sets claimed_by and lease_expires_at, no indexed column) is a HOT
-- update that adds no index entries, and the queue's front is not
-- rewritten by every claim. The pointer is only a hint: an item is held
-- while its claimed_by is the reviewer, it is unscored and its lease is
-- live, as before. Room on each page for those HOT updates.
CREATE TABLE review_holds (
    reviewer_id uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    item_id     uuid NOT NULL
);
INSERT INTO review_holds (reviewer_id, item_id)
    SELECT DISTINCT ON (claimed_by) claimed_by, id FROM review_items
    WHERE claimed_by IS NOT NULL AND scored_at IS NULL ORDER BY claimed_by, lease_expires_at DESC;
DROP INDEX review_items_holder_idx;
ALTER TABLE review_items SET (fillfactor = 80);

-- +goose Down
ALTER TABLE review_items RESET (fillfactor);
CREATE INDEX review_items_holder_idx ON review_items (claimed_by) WHERE scored_at IS NULL;
DROP TABLE review_holds;
CREATE INDEX review_items_moderation_idx ON review_items (org_id, exam_id, created_at) WHERE slot = 3 AND scored_at IS NULL;
DROP INDEX review_items_moderation_queue_idx;
CREATE INDEX review_items_queue_idx ON review_items (org_id, exam_id, created_at) WHERE scored_at IS NULL;
DROP INDEX review_items_marks_queue_idx;
