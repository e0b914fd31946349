package api

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"math"
	mrand "math/rand/v2"
	"sort"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"examd/exam"
	"examd/grading"
)

// stSeed writes one attempt of version 1 of examID straight into the
// database: item points (essays among them go to review_items, the rest
// to objective_scores), choice responses, score = the points' sum.
type stSeed struct {
	name      string
	track     string
	status    string
	points    map[string]float64
	essays    map[string]bool
	responses map[string]string // question id → response JSON
}

func (a *app) stInsert(orgID, examID string, s stSeed) {
	a.t.Helper()
	if s.status == "" {
		s.status = "graded"
	}
	if s.name == "" {
		s.name = "候选人"
	}
	tok := make([]byte, 16)
	_, _ = rand.Read(tok)
	var inv struct{ ID string }
	if err := a.db.Raw(`INSERT INTO invitations (org_id, exam_id, exam_version, candidate_name, candidate_email, track, token_hash)
		VALUES (?, ?, 1, ?, 'c@cand.test', ?, ?) RETURNING id`, orgID, examID, s.name, s.track, tok).Scan(&inv).Error; err != nil {
		a.t.Fatal(err)
	}
	obj := map[string]float64{}
	total := 0.0
	for id, p := range s.points {
		total += p
		if !s.essays[id] {
			obj[id] = p
		}
	}
	objJSON, _ := json.Marshal(obj)
	var att struct{ ID string }
	if err := a.db.Raw(`INSERT INTO attempts (invitation_id, org_id, exam_id, exam_version, track, status, shuffle_seed,
			deadline, submit_by, submitted_at, objective_scores, score, max_score, graded_at)
		VALUES (?, ?, ?, 1, ?, ?, 1, now(), now(), now(), ?::jsonb, ?, 100, now()) RETURNING id`,
		inv.ID, orgID, examID, s.track, s.status, string(objJSON), total).Scan(&att).Error; err != nil {
		a.t.Fatal(err)
	}
	for id, p := range s.points {
		if s.essays[id] {
			if err := a.db.Exec(`INSERT INTO review_items (org_id, exam_id, attempt_id, question_id, max_points, points, scored_at)
				VALUES (?, ?, ?, ?, 100, ?, now())`, orgID, examID, att.ID, id, p).Error; err != nil {
				a.t.Fatal(err)
			}
		}
	}
	for id, r := range s.responses {
		if err := a.db.Exec(`INSERT INTO answers (attempt_id, question_id, response, seq) VALUES (?, ?, ?::jsonb, 1)`,
			att.ID, id, r).Error; err != nil {
			a.t.Fatal(err)
		}
	}
}

func near(t *testing.T, what string, got *float64, want float64) {
	t.Helper()
	if got == nil {
		t.Errorf("%s = null, want %v", what, want)
		return
	}
	if math.Abs(*got-want) > 1e-9*math.Max(1, math.Abs(want)) {
		t.Errorf("%s = %v, want %v", what, *got, want)
	}
}

func stDoc() map[string]any {
	return map[string]any{"title": "统计 Stats", "time_limit_seconds": 600, "pass_score": 5,
		"sections": []any{map[string]any{"title": "S", "questions": []any{
			map[string]any{"type": "true_false", "prompt": "tf", "answer": true, "points": 1},
			// The key says A; the right answer is B, which the strongest pick.
			map[string]any{"type": "single_choice", "prompt": "sc", "options": []any{
				map[string]any{"key": "A", "text": "A"}, map[string]any{"key": "B", "text": "B"},
				map[string]any{"key": "C", "text": "C"}}, "answer": "A", "points": 2},
			map[string]any{"type": "multiple_choice", "prompt": "mc", "options": []any{
				map[string]any{"key": "A", "text": "A"}, map[string]any{"key": "B", "text": "B"},
				map[string]any{"key": "C", "text": "C"}}, "answers": []string{"A", "B"}},
			map[string]any{"type": "essay", "prompt": "essay", "points": 4},
		}}}}
}

// TestStatisticsHandWorked checks every number of a six-attempt example
// against values worked out by hand (in the comments).
func TestStatisticsHandWorked(t *testing.T) {
	a := parallelApp(t)
	admin := a.signup("Stats Org", "admin@stats.test")
	rec := a.staff(admin.AccessToken, "recruiter", "rec@stats.test").AccessToken
	e := a.grPublish(rec, stDoc())
	ids := grQuestionIDs(e)
	tf, sc, mc, es := ids[0], ids[1], ids[2], ids[3]
	org := admin.User.Organization.ID
	// attempt: tf, sc (choice), mc (choices), essay → total
	rows := []struct {
		tf, sc, mc, es float64
		scR, mcR       string
	}{
		{1, 0, 2, 4, `{"choice":"B"}`, `{"choices":["A","B"]}`}, // 7
		{1, 0, 2, 3, `{"choice":"B"}`, `{"choices":["A","B"]}`}, // 6
		{1, 0, 1, 3, `{"choice":"B"}`, `{"choices":["A"]}`},     // 5
		{0, 2, 1, 2, `{"choice":"A"}`, `{"choices":["B"]}`},     // 5
		{1, 2, 0, 1, `{"choice":"A"}`, `{"choices":[]}`},        // 4
		{0, 2, 0, 0, `{"choice":"A"}`, `{"choices":["C"]}`},     // 2
	}
	for _, r := range rows {
		a.stInsert(org, e.ID, stSeed{points: map[string]float64{tf: r.tf, sc: r.sc, mc: r.mc, es: r.es},
			essays: map[string]bool{es: true}, responses: map[string]string{sc: r.scR, mc: r.mcR}})
	}
	// Not graded: left out of everything.
	a.stInsert(org, e.ID, stSeed{status: "grading", points: map[string]float64{tf: 1, sc: 2, mc: 2},
		responses: map[string]string{sc: `{"choice":"C"}`}})

	var s grading.Statistics
	a.must(200, "GET", "/api/v1/exams/"+e.ID+"/versions/1/statistics", nil, rec).Decode(t, &s)
	if s.ExamID != e.ID || s.Version != 1 || s.Track != nil || s.Attempts != 6 {
		t.Fatalf("header = %s %d %v %d", s.ExamID, s.Version, s.Track, s.Attempts)
	}
	// Scores 7 6 5 5 4 2: Σ = 29, Σx² = 155, Sxx = 155 − 29²/6 = 89/6.
	near(t, "mean", s.Score.Mean, 29.0/6)
	near(t, "median", s.Score.Median, 5)
	near(t, "sd", s.Score.SD, math.Sqrt(89.0/30))
	near(t, "min", s.Score.Min, 2)
	near(t, "max", s.Score.Max, 7)
	// Maximum 1+2+2+4 = 9: bins of 0.9; 2 → [1.8,2.7), 4 → [3.6,4.5),
	// 5,5 → [4.5,5.4), 6 → [5.4,6.3), 7 → [6.3,7.2).
	wantBins := []int{0, 0, 1, 0, 1, 2, 1, 1, 0, 0}
	if len(s.Score.Histogram) != 10 {
		t.Fatalf("histogram has %d bins", len(s.Score.Histogram))
	}
	for i, b := range s.Score.Histogram {
		if b.Count != wantBins[i] || math.Abs(b.From-0.9*float64(i)) > 1e-9 || math.Abs(b.To-0.9*float64(i+1)) > 1e-9 {
			t.Errorf("bin %d = %+v, want [%v,%v) %d", i, b, 0.9*float64(i), 0.9*float64(i+1), wantBins[i])
		}
	}
	type wantQ struct {
		typ       string
		mean, max float64
		disc      float64
		options   map[string]int
		flags     []string
	}
	want := []wantQ{
		// x 1 1 1 0 1 0, rest 6 5 4 5 3 2: Sxx 4/3, Srr 65/6, Sxr 4/3 → 4/√130.
		{"true_false", 4.0 / 6, 1, 4 / math.Sqrt(130), nil, nil},
		// x 0 0 0 2 2 2, rest 7 6 5 3 2 0: Sxx 6, Srr 209/6, Sxr −13 → −13/√209.
		{"single_choice", 1, 2, -13 / math.Sqrt(209), map[string]int{"A": 3, "B": 3, "C": 0}, []string{"negative_discrimination"}},
		// x 2 2 1 1 0 0, rest 5 4 4 4 4 2: Sxx 4, Srr 29/6, Sxr 3 → 3/√(58/3).
		{"multiple_choice", 1, 2, 3 / math.Sqrt(58.0/3), map[string]int{"A": 3, "B": 3, "C": 1}, nil},
		// x 4 3 3 2 1 0, rest 3 3 2 3 3 2: Sxx 65/6, Srr 4/3, Sxr 4/3 → 4/√130.
		{"essay", 13.0 / 6, 4, 4 / math.Sqrt(130), nil, nil},
	}
	if len(s.Questions) != 4 {
		t.Fatalf("questions = %d", len(s.Questions))
	}
	for i, w := range want {
		q := s.Questions[i]
		if q.QuestionID != ids[i] || q.Type != w.typ || q.Attempts != 6 || q.MaxPoints != w.max {
			t.Errorf("question %d = %s %s %d %v", i, q.QuestionID, q.Type, q.Attempts, q.MaxPoints)
		}
		near(t, fmt.Sprintf("q%d mean", i), q.MeanPoints, w.mean)
		near(t, fmt.Sprintf("q%d facility", i), q.Facility, w.mean/w.max)
		near(t, fmt.Sprintf("q%d discrimination", i), q.Discrimination, w.disc)
		if len(q.Options) != len(w.options) {
			t.Errorf("q%d options = %+v, want %v", i, q.Options, w.options)
		}
		for _, o := range q.Options {
			if c, ok := w.options[o.Key]; !ok || c != o.Chosen {
				t.Errorf("q%d option %s chosen %d, want %v", i, o.Key, o.Chosen, w.options)
			}
		}
		if fmt.Sprint(q.Flags) != fmt.Sprint(append([]string{}, w.flags...)) {
			t.Errorf("q%d flags = %v, want %v", i, q.Flags, w.flags)
		}
	}
	// Σ item Sxx = 4/3 + 6 + 4 + 65/6 = 133/6 against S_TT = 89/6:
	// alpha = 4/3 · (1 − 133/89) = −176/267; sem = sd·√(1 + 176/267).
	near(t, "alpha", s.Reliability.Alpha, -176.0/267)
	near(t, "sem", s.Reliability.SEM, math.Sqrt(89.0/30)*math.Sqrt(1+176.0/267))

	// The dry run the results page links to confirms the key is the
	// problem: keying B would regrade the three strongest attempts.
	a.must(200, "PUT", "/api/v1/exams/"+e.ID+"/versions/1/questions/"+sc+"/key?dry_run=true",
		map[string]any{"answer": "B"}, rec)
}

func TestStatisticsAccessAndTracks(t *testing.T) {
	a := parallelApp(t)
	admin, recS, revS := a.team("Track Org", "track.test")
	rec, rev := recS.AccessToken, revS.AccessToken
	other := a.signup("Other Org", "admin@other.test")
	e := a.grPublish(rec, map[string]any{"title": "Tracks", "time_limit_seconds": 600, "pass_score": 1,
		"tracks": []string{"manager", "supervisor"},
		"sections": []any{map[string]any{"title": "S", "questions": []any{
			map[string]any{"type": "true_false", "prompt": "both", "answer": true, "points": 1},
			map[string]any{"type": "true_false", "prompt": "managers", "answer": true, "points": 3, "tracks": []string{"manager"}},
		}}}})
	ids := grQuestionIDs(e)
	org := admin.User.Organization.ID
	for i := 0; i < 3; i++ {
		a.stInsert(org, e.ID, stSeed{track: "manager", points: map[string]float64{ids[0]: 1, ids[1]: float64(3 * (i % 2))}})
	}
	a.stInsert(org, e.ID, stSeed{track: "supervisor", points: map[string]float64{ids[0]: 0}})
	base := "/api/v1/exams/" + e.ID + "/versions/1/statistics"

	var all, mgr, sup grading.Statistics
	a.must(200, "GET", base, nil, admin.AccessToken).Decode(t, &all)
	a.must(200, "GET", base+"?track=manager", nil, rec).Decode(t, &mgr)
	a.must(200, "GET", base+"?track=supervisor", nil, rec).Decode(t, &sup)
	if all.Attempts != 4 || mgr.Attempts != 3 || sup.Attempts != 1 {
		t.Fatalf("attempts all %d manager %d supervisor %d", all.Attempts, mgr.Attempts, sup.Attempts)
	}
	if mgr.Track == nil || *mgr.Track != "manager" {
		t.Errorf("track = %v", mgr.Track)
	}
	// Histograms run to the population's maximum: 4 for managers, 1 for
	// supervisors (and the exam's highest, 4, without a track).
	if h := mgr.Score.Histogram; h[9].To != 4 || all.Score.Histogram[9].To != 4 || sup.Score.Histogram[9].To != 1 {
		t.Errorf("histogram ends: manager %v all %v supervisor %v", h[9].To, all.Score.Histogram[9].To, sup.Score.Histogram[9].To)
	}
	if len(sup.Questions) != 1 || sup.Questions[0].QuestionID != ids[0] {
		t.Errorf("supervisor questions = %+v", sup.Questions)
	}
	// Manager question: only the three attempts that had it count.
	if all.Questions[1].Attempts != 3 || all.Questions[0].Attempts != 4 {
		t.Errorf("per-question attempts = %d, %d", all.Questions[0].Attempts, all.Questions[1].Attempts)
	}
	// One supervisor: no sd, no discrimination, no alpha; fewer than 5: no flags.
	if sup.Score.SD != nil || sup.Reliability.Alpha != nil || sup.Questions[0].Discrimination != nil || len(sup.Questions[0].Flags) != 0 {
		t.Errorf("undefined values not null: %+v", sup)
	}
	if all.Reliability.Alpha != nil { // fewer than 5 attempts
		t.Errorf("alpha = %v with 4 attempts", *all.Reliability.Alpha)
	}

	if r := a.do("GET", base+"?track=director", nil, rec); r.Status != 422 || r.Code() != "validation_failed" {
		t.Errorf("unknown track: %d %s", r.Status, r.Body)
	}
	for _, p := range []string{base, "/api/v1/exams/" + e.ID + "/versions/2/statistics",
		"/api/v1/exams/" + e.ID + "/versions/x/statistics", "/api/v1/exams/not-an-id/versions/1/statistics"} {
		tok := rec
		if p == base {
			tok = other.AccessToken // another organization's exam is not found
		}
		if r := a.do("GET", p, nil, tok); r.Status != 404 {
			t.Errorf("GET %s: %d %s", p, r.Status, r.Body)
		}
	}
	if r := a.do("GET", base, nil, rev); r.Status != 403 {
		t.Errorf("reviewer: %d", r.Status)
	}
	if r := a.do("GET", base, nil, ""); r.Status != 401 {
		t.Errorf("anonymous: %d", r.Status)
	}
}

// naive statistics, straight from the definitions, two passes.
func naiveMean(xs []float64) float64 {
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}

func naiveVar(xs []float64) float64 {
	m := naiveMean(xs)
	s := 0.0
	for _, x := range xs {
		s += (x - m) * (x - m)
	}
	return s / float64(len(xs)-1)
}

func naivePearson(xs, ys []float64) (float64, bool) {
	mx, my := naiveMean(xs), naiveMean(ys)
	var sxy, sxx, syy float64
	for i := range xs {
		sxy += (xs[i] - mx) * (ys[i] - my)
		sxx += (xs[i] - mx) * (xs[i] - mx)
		syy += (ys[i] - my) * (ys[i] - my)
	}
	if len(xs) < 3 || sxx == 0 || syy == 0 {
		return 0, false
	}
	return sxy / math.Sqrt(sxx*syy), true
}

// TestStatisticsProperty compares the endpoint with the naive definitions
// on random attempts where some questions are missing from some attempts
// (as drawn questions are).
func TestStatisticsProperty(t *testing.T) {
	a := parallelApp(t)
	admin := a.signup("Prop Org", "admin@prop.test")
	qs := []any{}
	const k = 6
	for i := 0; i < k; i++ {
		qs = append(qs, map[string]any{"type": "essay", "prompt": fmt.Sprint("q", i), "points": 5})
	}
	e := a.grPublish(admin.AccessToken, map[string]any{"title": "P", "time_limit_seconds": 600, "pass_score": 1,
		"sections": []any{map[string]any{"title": "S", "questions": qs}}})
	ids := grQuestionIDs(e)
	org := admin.User.Organization.ID
	rng := mrand.New(mrand.NewPCG(7, 15))
	const n = 40
	item := make([][]float64, k) // per question, its points over attempts that had it
	rest := make([][]float64, k)
	var totals []float64
	full := make([][]float64, n) // per attempt, points of the questions all had (0..2)
	for i := 0; i < n; i++ {
		pts := map[string]float64{}
		ability := rng.Float64()
		for q := 0; q < k; q++ {
			if q >= 3 && rng.IntN(3) == 0 { // questions 3.. are missing from a third
				continue
			}
			pts[ids[q]] = math.Round(math.Min(5, math.Max(0, ability*5+rng.NormFloat64()))*2) / 2
		}
		tot := 0.0
		for _, p := range pts {
			tot += p
		}
		totals = append(totals, tot)
		for q := 0; q < k; q++ {
			if p, ok := pts[ids[q]]; ok {
				item[q] = append(item[q], p)
				rest[q] = append(rest[q], tot-p)
			}
		}
		for q := 0; q < 3; q++ {
			full[i] = append(full[i], pts[ids[q]])
		}
		es := map[string]bool{}
		for _, id := range ids {
			es[id] = true
		}
		a.stInsert(org, e.ID, stSeed{points: pts, essays: es})
	}
	var s grading.Statistics
	a.must(200, "GET", "/api/v1/exams/"+e.ID+"/versions/1/statistics", nil, admin.AccessToken).Decode(t, &s)
	if s.Attempts != n {
		t.Fatalf("attempts = %d", s.Attempts)
	}
	near(t, "mean", s.Score.Mean, naiveMean(totals))
	near(t, "sd", s.Score.SD, math.Sqrt(naiveVar(totals)))
	sorted := append([]float64{}, totals...)
	sort.Float64s(sorted)
	near(t, "median", s.Score.Median, (sorted[n/2-1]+sorted[n/2])/2)
	near(t, "min", s.Score.Min, sorted[0])
	near(t, "max", s.Score.Max, sorted[n-1])
	counts := make([]int, 10)
	for _, v := range totals {
		b := int(v / 3) // maximum 30: bins of 3
		if b > 9 {
			b = 9
		}
		counts[b]++
	}
	for i, b := range s.Score.Histogram {
		if b.Count != counts[i] {
			t.Errorf("bin %d: %d, want %d", i, b.Count, counts[i])
		}
	}
	for q := 0; q < k; q++ {
		got := s.Questions[q]
		if got.Attempts != len(item[q]) {
			t.Errorf("q%d attempts %d, want %d", q, got.Attempts, len(item[q]))
		}
		near(t, fmt.Sprint("q", q, " mean"), got.MeanPoints, naiveMean(item[q]))
		if d, ok := naivePearson(item[q], rest[q]); ok {
			near(t, fmt.Sprint("q", q, " discrimination"), got.Discrimination, d)
		} else if got.Discrimination != nil {
			t.Errorf("q%d discrimination %v, want null", q, *got.Discrimination)
		}
	}
	// Alpha over the three questions every attempt had.
	sumVar := 0.0
	for q := 0; q < 3; q++ {
		col := make([]float64, n)
		for i := range full {
			col[i] = full[i][q]
		}
		sumVar += naiveVar(col)
	}
	sub := make([]float64, n)
	for i := range full {
		sub[i] = full[i][0] + full[i][1] + full[i][2]
	}
	alpha := 3.0 / 2 * (1 - sumVar/naiveVar(sub))
	near(t, "alpha", s.Reliability.Alpha, alpha)
	near(t, "sem", s.Reliability.SEM, math.Sqrt(naiveVar(totals))*math.Sqrt(1-alpha))
	_ = exam.TypeEssay
}

func TestResultsXLSX(t *testing.T) {
	a := parallelApp(t)
	admin := a.signup("Xlsx Org", "admin@xlsx.test")
	rec := a.staff(admin.AccessToken, "recruiter", "rec@xlsx.test").AccessToken
	other := a.signup("Other Xlsx", "admin@otherx.test")
	e := a.grPublish(rec, map[string]any{"title": "表格", "time_limit_seconds": 600, "pass_score": 1,
		"sections": []any{
			map[string]any{"title": "服务意识", "questions": []any{
				map[string]any{"type": "true_false", "prompt": "对吗", "answer": true, "points": 1}}},
			map[string]any{"title": "=SUM(A1)", "questions": []any{
				map[string]any{"type": "essay", "prompt": "写", "points": 4}}},
		}})
	ids := grQuestionIDs(e)
	org := admin.User.Organization.ID
	names := []string{"张伟", "=HYPERLINK(\"http://x\")", "+1", "-2", "@me", "\tTab", "\rCR", "王芳"}
	for i, n := range names {
		a.stInsert(org, e.ID, stSeed{name: n, points: map[string]float64{ids[0]: float64(i % 2), ids[1]: 2.5},
			essays: map[string]bool{ids[1]: true}})
	}
	r := a.must(200, "GET", "/api/v1/exams/"+e.ID+"/results.xlsx?lang=zh-CN", nil, rec)
	if ct := r.Header.Get("Content-Type"); ct != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" {
		t.Errorf("content type %q", ct)
	}
	f, err := excelize.OpenReader(bytesReader(r.Body))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("Results")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1+len(names) {
		t.Fatalf("rows = %d", len(rows))
	}
	if rows[0][2] != "候选人" || rows[0][13] != "服务意识" || rows[0][14] != "'=SUM(A1)" {
		t.Errorf("header = %q", rows[0])
	}
	got := map[string]bool{}
	for i, row := range rows[1:] {
		got[row[2]] = true
		// score (column I) and the section columns are numbers.
		for _, col := range []string{"I", "N", "O"} {
			cell := fmt.Sprintf("%s%d", col, i+2)
			if typ, _ := f.GetCellType("Results", cell); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
				t.Errorf("%s is %v, not a number", cell, typ)
			}
		}
		if row[14] != "2.5" {
			t.Errorf("row %d essay section = %q", i, row[14])
		}
	}
	for _, n := range names {
		want := n
		if strings.ContainsAny(n[:1], "=+-@\t\r") {
			want = "'" + n
		}
		if !got[want] {
			t.Errorf("name %q not written as %q: %v", n, want, got)
		}
	}
	st, err := f.GetRows("Statistics")
	if err != nil {
		t.Fatal(err)
	}
	if len(st) != 3+2 || st[3][0] != ids[0] || st[3][1] != "服务意识" || st[3][4] != "8" || st[3][5] != "0.5" {
		t.Errorf("statistics sheet = %q", st)
	}
	if r := a.do("GET", "/api/v1/exams/"+e.ID+"/results.xlsx", nil, other.AccessToken); r.Status != 404 {
		t.Errorf("other org: %d", r.Status)
	}
	if r := a.do("GET", "/api/v1/exams/"+e.ID+"/results.xlsx?lang=fr", nil, rec); r.Status != 400 {
		t.Errorf("bad lang: %d", r.Status)
	}
}

func bytesReader(b []byte) *bytes.Reader { return bytes.NewReader(b) }
