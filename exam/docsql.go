package exam

// The exam document is stored as JSON (exam_versions.document frozen, and
// exams.document as the draft), and a few queries of grading and notify
// read parts of it in SQL rather than decode the whole document in Go. Those paths are a schema that depends on the json tags of
// Document, Section and Question; they are named here, once, and
// docsql_test.go fails when a tag they use changes.
//
// Each SQLVersion/SQLReview expression reads the version row aliased v (the
// review ones find the question whose id is review_items' r.question_id);
// SQLExam ones read the exams row aliased e.
const (
	jsonTitle                = "title"
	jsonTimeLimitSeconds     = "time_limit_seconds"
	jsonPositionID           = "position_id"
	jsonPassScore            = "pass_score"
	jsonShowScoreToCandidate = "show_score_to_candidate"
	jsonSections             = "sections"
	jsonQuestions            = "questions"
	jsonPool                 = "pool"
	jsonID                   = "id"
	jsonRubric               = "rubric"
)

const (
	// SQLVersionTitle is the exam's title (text).
	SQLVersionTitle = `v.document->>'` + jsonTitle + `'`
	// SQLVersionTimeLimit is the time limit in seconds (int, 0 when absent).
	SQLVersionTimeLimit = `coalesce((v.document->>'` + jsonTimeLimitSeconds + `')::int, 0)`
	// SQLExamPositionID is the position the exam's draft names (text, null
	// when none).
	SQLExamPositionID = `e.document->>'` + jsonPositionID + `'`
	// SQLVersionPassScore is the pass mark (float8, 0 when absent).
	SQLVersionPassScore = `coalesce((v.document->>'` + jsonPassScore + `')::float8, 0)`
	// SQLVersionShowScore tells whether candidates see their score
	// (boolean, false when absent).
	SQLVersionShowScore = `coalesce((v.document->>'` + jsonShowScoreToCandidate + `')::boolean, false)`
	// sqlSectionQuestions ranges q over every question of the version a
	// review item may name: the sections' listed questions and their draw
	// pools.
	sqlSectionQuestions = `jsonb_array_elements(v.document->'` + jsonSections + `') s,
				jsonb_array_elements(coalesce(s->'` + jsonQuestions + `', '[]') || coalesce(s->'` + jsonPool + `', '[]')) q`
	// SQLReviewQuestion is the reviewed question (jsonb, null when the
	// version has none with that id).
	SQLReviewQuestion = `(SELECT q FROM ` + sqlSectionQuestions + `
				WHERE q->>'` + jsonID + `' = r.question_id LIMIT 1)`
	// SQLReviewRubric is the reviewed question's rubric (jsonb).
	SQLReviewRubric = `(SELECT q->'` + jsonRubric + `' FROM ` + sqlSectionQuestions + `
				WHERE q->>'` + jsonID + `' = r.question_id LIMIT 1)`
)
