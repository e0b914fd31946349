-- +goose Up
-- A reviewer's per-criterion points ([{index, points}] into the question's
-- rubric), kept with the score so that a revision shows them again; null
-- when the score was given as a total only. revised_at is the last time the
-- scorer changed the score while the attempt was still being graded.
ALTER TABLE review_items
    ADD COLUMN criteria   jsonb,
    ADD COLUMN revised_at timestamptz;

-- Who gave an item back to the queue unscored (skip or release). A claim
-- hands such an item to the same reviewer again only when nothing else
-- waits, so skipping moves on while others still get the item at once.
CREATE TABLE review_releases (
    item_id     uuid NOT NULL REFERENCES review_items (id) ON DELETE CASCADE,
    reviewer_id uuid NOT NULL REFERENCES users (id),
    released_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (item_id, reviewer_id)
);

-- "My scored items": a reviewer's scores in an exam, newest first.
CREATE INDEX review_items_scorer_idx ON review_items (org_id, scored_by, scored_at DESC, id DESC) WHERE scored_at IS NOT NULL;

-- +goose Down
DROP INDEX review_items_scorer_idx;
DROP TABLE review_releases;
ALTER TABLE review_items DROP COLUMN revised_at, DROP COLUMN criteria;
