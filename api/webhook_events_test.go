package api

import (
	"strings"
	"testing"

	"examd/notify"
)

// The events the lifecycle test does not reach: a key amendment, the
// sweeper's timeout submit and an essay's grading by a reviewer. Each is
// delivered signed (the receiver checks every signature) with its data.

// questionOfType is the id of the version's last question of type typ.
func (v grVersion) questionOfType(typ string) string {
	id := ""
	for _, sec := range v.Exam.Sections {
		for _, q := range sec.Questions {
			if q.Type == typ {
				id = q.ID
			}
		}
	}
	return id
}

func TestWebhookKeyAmendedSignedWithItsData(t *testing.T) {
	a := newApp(t)
	rcv := newReceiver(t)
	s := a.signup("Acme", "admin@keyhook.test")
	hook := a.createHook(s.AccessToken, rcv.srv.URL+"/hook", "key.amended")
	rcv.secret = hook.Secret
	doc := smallExam(600, 30)
	doc["tracks"] = []string{}
	doc["sections"] = doc["sections"].([]any)[:2]
	examID := a.publishedExam(s.AccessToken, doc)
	tf := a.grVersion(s.AccessToken, examID).questionOfType("true_false")
	// One submitted attempt, so the amendment re-scores something.
	c := a.candidate(s.AccessToken, examID, "")
	a.must(201, "POST", "/api/v1/candidate/attempt", nil, c.token)
	a.must(200, "POST", "/api/v1/candidate/attempt/submit", nil, c.token)

	path := "/api/v1/exams/" + examID + "/versions/1/questions/" + tf + "/key"
	// A dry run changes nothing, so it reports nothing either.
	a.must(200, "PUT", path+"?dry_run=true", map[string]any{"answer": true}, s.AccessToken)
	// A refused amendment neither.
	a.must(422, "PUT", path, map[string]any{"answer": "yes"}, s.AccessToken)
	a.must(200, "PUT", path, map[string]any{"answer": true, "reason": "规定已改"}, s.AccessToken)

	w := notify.NewWorker(notify.WorkerOptions{DB: a.db, AllowPrivate: true})
	deliver(t, w, func() bool { return len(rcv.events()) >= 1 })
	if n, err := w.RunOnce(t.Context()); err != nil || n != 0 {
		t.Fatalf("more deliveries after the one amendment: %d, %v", n, err)
	}
	got := rcv.events()
	if len(got) != 1 {
		t.Fatalf("received %d events, want the one key.amended: %+v", len(got), got)
	}
	ev := got[0]
	d := ev.Data
	if ev.Type != "key.amended" || d["exam_id"] != examID || d["version"] != float64(1) || d["question_id"] != tf || d["regraded"] != float64(1) {
		t.Fatalf("key.amended: %s", ev.Raw)
	}
	// No keys: neither the old nor the new answer travels.
	if strings.Contains(ev.Raw, `"answer`) || strings.Contains(ev.Raw, "old_key") || strings.Contains(ev.Raw, "new_key") || strings.Contains(ev.Raw, "规定已改") {
		t.Errorf("key.amended carries the key or the reason: %s", ev.Raw)
	}
	var page deliveryPage
	a.must(200, "GET", "/api/v1/webhooks/"+hook.ID+"/deliveries", nil, s.AccessToken).Decode(t, &page)
	if len(page.Items) != 1 || page.Items[0].Type != "key.amended" || page.Items[0].Status != "delivered" || page.Items[0].EventID != ev.ID {
		t.Fatalf("delivery log: %+v", page.Items)
	}
}

func TestWebhookTimeoutSubmitAndReviewerGradingAreDelivered(t *testing.T) {
	a := newApp(t)
	rcv := newReceiver(t)
	s := a.signup("Acme", "admin@sweephook.test")
	rec := a.staff(s.AccessToken, "recruiter", "rec@sweephook.test")
	marker := a.staff(s.AccessToken, "reviewer", "marker@sweephook.test")
	hook := a.createHook(s.AccessToken, rcv.srv.URL, "attempt.submitted", "attempt.graded")
	rcv.secret = hook.Secret
	e := a.grPublish(rec.AccessToken, grEssayExam("Timed essays", 1, 5))
	c := a.grStart(rec.AccessToken, e.ID, "候选人甲", "jia@cand.test", "")
	a.grAnswer(c, grEssays(e, "jia"))
	// The time is over (grace too): the sweeper submits it.
	if err := a.db.Exec(`UPDATE attempts SET deadline = now() - interval '1 minute', submit_by = now() - interval '1 second' WHERE id = ?`, c.AttemptID).Error; err != nil {
		t.Fatal(err)
	}
	if n, err := a.sweep(); err != nil || n != 1 {
		t.Fatalf("sweep: %d, %v", n, err)
	}
	w := notify.NewWorker(notify.WorkerOptions{DB: a.db, AllowPrivate: true})
	deliver(t, w, func() bool { return len(rcv.events()) >= 1 })
	sub := rcv.events()[0]
	if sub.Type != "attempt.submitted" || sub.Data["attempt_id"] != c.AttemptID || sub.Data["submitted_by"] != "timeout" ||
		sub.Data["status"] != "grading" || sub.Data["candidate_email"] != "jia@cand.test" || sub.Data["submitted_at"] == nil {
		t.Fatalf("the sweeper's submit: %s", sub.Raw)
	}
	if strings.Contains(sub.Raw, "answer 1 by jia") || strings.Contains(sub.Raw, "REFERENCE") {
		t.Errorf("attempt.submitted carries the answer or the reference: %s", sub.Raw)
	}
	// Not graded yet: nothing more is due.
	if n, err := w.RunOnce(t.Context()); err != nil || n != 0 {
		t.Fatalf("deliveries before grading: %d, %v", n, err)
	}

	// A reviewer marks the essay: the attempt is graded and says so.
	cl, code := a.grClaimItem(marker.AccessToken, nil)
	if code != 200 {
		t.Fatalf("claim: %d", code)
	}
	a.must(200, "POST", "/api/v1/reviews/"+cl.ID+"/score", map[string]any{"points": 4, "comment": "清楚"}, marker.AccessToken)
	deliver(t, w, func() bool { return len(rcv.events()) >= 2 })
	gr := rcv.events()[1]
	if gr.Type != "attempt.graded" || gr.Data["attempt_id"] != c.AttemptID || gr.Data["status"] != "graded" ||
		gr.Data["score"] != float64(4) || gr.Data["passed"] != false || gr.Data["submitted_by"] != "timeout" {
		t.Fatalf("attempt.graded: %s", gr.Raw)
	}
	if strings.Contains(gr.Raw, "清楚") || strings.Contains(gr.Raw, "answer 1 by jia") {
		t.Errorf("attempt.graded carries the comment or the answer: %s", gr.Raw)
	}
	if sub.ID == gr.ID {
		t.Errorf("two events share the webhook-id %s", sub.ID)
	}
}
