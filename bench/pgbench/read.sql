-- S2 reference: reading a 50-question attempt as GET /candidate/attempt
-- needs it, at the SQL level only: the attempt row (found by invitation),
-- its answers, and the frozen version document. Attempts are pool W of
-- exam A, the same ones the app's resume reads.
\set n random(1, :nw)
SELECT id, org_id, exam_id, exam_version, track, status, shuffle_seed, started_at, deadline, submit_by, submitted_at, now() AS now
	FROM attempts WHERE invitation_id = (SELECT invitation_id FROM bench.pool WHERE pool = 'W' AND n = :n);
SELECT question_id, response, seq FROM answers WHERE attempt_id = (SELECT attempt_id FROM bench.pool WHERE pool = 'W' AND n = :n);
SELECT document FROM exam_versions WHERE exam_id = :exam_a AND version = 1;
