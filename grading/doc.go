// Package grading scores attempts (pure functions in score.go), runs the blind
// essay review queue, builds results and re-scores after key amendments; its
// storage sits beside the logic.
package grading
