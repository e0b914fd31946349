-- S4 reference: one transaction that reads an attempt's 50 answers and
-- writes its grade (objective scores per question, totals, grading time),
-- at the SQL level only. Attempts are pool C of exam B.
\set n random(1, :nc)
BEGIN;
SELECT question_id, response FROM answers WHERE attempt_id = (SELECT attempt_id FROM bench.pool WHERE pool = 'C' AND n = :n);
UPDATE attempts SET objective_scores = :obj, auto_score = 23.5, manual_score = 0, score = 23.5, max_score = 190, graded_at = now()
	WHERE id = (SELECT attempt_id FROM bench.pool WHERE pool = 'C' AND n = :n);
COMMIT;
