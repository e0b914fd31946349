-- S1 reference: the answer upsert of PUT /candidate/attempt/answers/{id}, at
-- the SQL level only: the statement exam.Store.Save sends, one per save.
-- Attempt and question are drawn from the bench schema's lookup tables
-- (pool C of exam B, so the app's attempts are not touched); seq is the
-- clock in microseconds, so every save is newer than the stored one.
\set n random(1, :np)
\set k random(1, 50)
WITH q AS (SELECT question_id, response FROM bench.questions WHERE exam = 'B' AND k = :k),
	a AS (
		SELECT id, status, now() > submit_by AS late FROM attempts
		WHERE id = (SELECT attempt_id FROM bench.pool WHERE pool = 'C' AND n = :n) FOR SHARE),
	ins AS (
		INSERT INTO answers AS x (attempt_id, question_id, response, seq, saved_at)
		SELECT a.id, q.question_id, q.response, floor(extract(epoch FROM clock_timestamp()) * 1000000)::bigint, now()
		FROM a, q WHERE a.status = 'in_progress' AND NOT a.late
		ON CONFLICT (attempt_id, question_id) DO UPDATE
			SET response = EXCLUDED.response, seq = EXCLUDED.seq, saved_at = EXCLUDED.saved_at
			WHERE x.seq < EXCLUDED.seq
		RETURNING seq, saved_at)
SELECT a.status, a.late, (SELECT seq FROM ins) AS new_seq, (SELECT saved_at FROM ins) AS new_saved_at
FROM a;
