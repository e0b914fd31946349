-- +goose Up
-- A submit inserts its essays' review items unclaimed (claimed_by NULL);
-- the holder index only serves "the items this reviewer holds"
-- (claimed_by = ?), which never matches NULL. Leaving unclaimed items out
-- spares every essay submit one index insert; a claim adds the entry.
DROP INDEX review_items_holder_idx;
CREATE INDEX review_items_holder_idx ON review_items (claimed_by) WHERE scored_at IS NULL AND claimed_by IS NOT NULL;

-- +goose Down
DROP INDEX review_items_holder_idx;
CREATE INDEX review_items_holder_idx ON review_items (claimed_by) WHERE scored_at IS NULL;
