package grading

import (
	"context"
	"fmt"

	"gorm.io/gorm"

	"examd/exam"
)

// Grader scores submitted attempts, runs the review queue, builds results
// and applies key amendments. Its storage is PostgreSQL, shared with exam.
type Grader struct {
	db    *gorm.DB
	exams *exam.Store
}

// New returns a Grader on db and exams. Submissions are scored by the
// Scorer that exams was built with (see NewScorer), not by the Grader.
func New(db *gorm.DB, exams *exam.Store) *Grader {
	return &Grader{db: db, exams: exams}
}

// VisibleScore returns an attempt's score for the candidate when the exam
// shows scores and nothing awaits review (ok false otherwise).
func (g *Grader) VisibleScore(ctx context.Context, attemptID string) (score, max float64, ok bool, err error) {
	var rows []struct {
		Status   string
		Score    *float64
		MaxScore *float64
		Show     bool
	}
	err = g.db.WithContext(ctx).Raw(`SELECT a.status, a.score, a.max_score, `+exam.SQLVersionShowScore+` AS show
		FROM attempts a JOIN exam_versions v ON v.exam_id = a.exam_id AND v.version = a.exam_version WHERE a.id = ?`, attemptID).Scan(&rows).Error
	if err != nil {
		return 0, 0, false, fmt.Errorf("grading: visible score: %w", err)
	}
	if len(rows) == 0 || !rows[0].Show || rows[0].Status != "graded" || rows[0].Score == nil || rows[0].MaxScore == nil {
		return 0, 0, false, nil
	}
	return *rows[0].Score, *rows[0].MaxScore, true, nil
}
