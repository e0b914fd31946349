package formats

import (
	"encoding/json"
	"fmt"
	"math/rand"
	"strings"
	"testing"

	"examd/exam"
	"examd/exam/demo"
)

// Words the random documents are made of: Chinese and English, full-width
// punctuation, nothing that is syntax of a paper at the start of a line.
var rtWords = []string{"客户", "投诉", "处理", "服务", "物业", "前台", "巡查", "钥匙", "会议", "记录",
	"tenant", "lobby", "badge", "safety", "report", "guest", "complaint", "policy", "，", "的", "是", "and"}

func rtText(r *rand.Rand, min, max int) string {
	n := min + r.Intn(max-min+1)
	var b strings.Builder
	for i := 0; i < n; i++ {
		w := rtWords[r.Intn(len(rtWords))]
		if i == 0 && w == "，" {
			w = "请"
		}
		if i > 0 && w[0] < 128 {
			b.WriteByte(' ')
		}
		b.WriteString(w)
	}
	return strings.TrimSpace(b.String())
}

func rtPoints(r *rand.Rand) float64 { return float64(1+r.Intn(20)) / 2 }

func pick(r *rand.Rand, s ...string) string { return s[r.Intn(len(s))] }

// rtTags are one to three tags, some of two words.
func rtTags(r *rand.Rand) []string {
	tags := []string{"服务礼仪", "投诉处理", "预算管理", "customer care", "沟通与协调"}
	r.Shuffle(len(tags), func(i, j int) { tags[i], tags[j] = tags[j], tags[i] })
	return tags[:1+r.Intn(3)]
}

// randomDocument makes a valid document of every type, with tracks,
// points, scoring, blanks, references, rubrics and explanations.
func randomDocument(r *rand.Rand) *exam.Document {
	d := &exam.Document{Title: rtText(r, 1, 4), TimeLimitSeconds: 60 * (1 + r.Intn(180))}
	if r.Intn(2) == 0 {
		d.Description = rtText(r, 2, 8)
	}
	if r.Intn(3) == 0 {
		d.TimeLimitSeconds += 1 + r.Intn(59)
	}
	if r.Intn(2) == 0 {
		g := r.Intn(600)
		d.GraceSeconds = &g
	}
	d.ShuffleQuestions, d.ShuffleOptions, d.ShowScoreToCandidate, d.ShowExplanations = r.Intn(2) == 0, r.Intn(2) == 0, r.Intn(2) == 0, r.Intn(2) == 0
	if r.Intn(3) == 0 {
		d.Review = &exam.ReviewSetting{Markers: 1 + r.Intn(2)}
		if d.Review.Markers == 2 {
			d.Review.Tolerance = rtPoints(r)
		}
	}
	if r.Intn(2) == 0 {
		d.Tracks = []string{"manager", "supervisor"}
		d.TrackLabels = map[string]string{"manager": "经理", "supervisor": "主管"}
		if r.Intn(2) == 0 {
			d.Tracks = append(d.Tracks, "night_shift")
		}
	}
	types := []string{exam.TypeSingleChoice, exam.TypeMultipleChoice, exam.TypeTrueFalse, exam.TypeFillIn, exam.TypeEssay}
	total := 0.0
	for si := 0; si < 1+r.Intn(4); si++ {
		s := exam.Section{Title: rtText(r, 1, 3)}
		if r.Intn(2) == 0 {
			s.Instructions = rtText(r, 3, 10)
		}
		s.Questions = []exam.Question{}
		if r.Intn(4) == 0 {
			s.Draw = &exam.Draw{Count: 1 + r.Intn(9)}
			if r.Intn(2) == 0 {
				s.Draw.Type = types[r.Intn(len(types))]
			}
			if r.Intn(2) == 0 {
				s.Draw.Tags = rtTags(r)
			}
		}
		n := r.Intn(7)
		if n == 0 && s.Draw == nil {
			n = 1
		}
		for qi := 0; qi < n; qi++ {
			q := exam.Question{Type: types[r.Intn(len(types))], Prompt: rtText(r, 2, 12)}
			if r.Intn(3) == 0 {
				q.Tags = rtTags(r)
			}
			if len(d.Tracks) > 0 && r.Intn(8) == 0 {
				// Words in the stem that read as a track marker.
				q.Prompt += "（主管、经理分别答）"
			}
			if len(d.Tracks) > 0 && r.Intn(3) == 0 {
				q.Tracks = []string{d.Tracks[r.Intn(len(d.Tracks))]}
				if r.Intn(3) == 0 && q.Tracks[0] != d.Tracks[0] {
					q.Tracks = append(q.Tracks, d.Tracks[0])
				}
			}
			if r.Intn(3) == 0 {
				q.Explanation = rtText(r, 2, 10)
			}
			switch q.Type {
			case exam.TypeSingleChoice, exam.TypeMultipleChoice:
				n := 2 + r.Intn(5)
				for i := 0; i < n; i++ {
					q.Options = append(q.Options, exam.Option{Key: string(rune('a' + i)), Text: rtText(r, 1, 5)})
				}
				if q.Type == exam.TypeSingleChoice {
					q.Points = rtPoints(r)
					q.Answer, _ = json.Marshal(q.Options[r.Intn(n)].Key)
				} else {
					for i := 0; i < n; i++ {
						if r.Intn(2) == 0 || (i == n-1 && len(q.Answers) == 0) {
							q.Answers = append(q.Answers, q.Options[i].Key)
						}
					}
					q.Scoring = &exam.Scoring{PerCorrect: rtPoints(r), PerWrong: float64(r.Intn(3)) / 2, Floor: 0}
				}
			case exam.TypeTrueFalse:
				q.Points = rtPoints(r)
				q.Answer, _ = json.Marshal(r.Intn(2) == 0)
			case exam.TypeFillIn:
				n := 1 + r.Intn(3)
				p := rtPoints(r)
				var parts []string
				for i := 1; i <= n; i++ {
					parts = append(parts, rtText(r, 1, 3), fmt.Sprintf("{{%d}}", i))
					acc := []string{rtText(r, 1, 2)}
					if r.Intn(2) == 0 {
						acc = append(acc, rtText(r, 1, 2))
					}
					b := exam.Blank{Accepted: acc, Points: p}
					if r.Intn(4) == 0 {
						b.Points, b.CaseSensitive = rtPoints(r), r.Intn(2) == 0
					}
					q.Blanks = append(q.Blanks, b)
				}
				parts = append(parts, rtText(r, 0, 2))
				q.Prompt = strings.TrimSpace(strings.Join(parts, ""))
			case exam.TypeEssay:
				q.Points = float64(2 + 2*r.Intn(10))
				if r.Intn(3) == 0 {
					// A case text and its question, a paragraph apart.
					q.Prompt += "\n\n" + rtText(r, 2, 8)
				}
				if r.Intn(2) == 0 {
					q.ReferenceAnswer = rtText(r, 3, 12)
					if r.Intn(2) == 0 {
						q.ReferenceAnswer += pick(r, "\n", "\n\n") + rtText(r, 3, 12)
					}
				}
				if r.Intn(2) == 0 {
					q.Rubric = []exam.RubricItem{{Criterion: rtText(r, 1, 4), Points: q.Points / 2}, {Criterion: rtText(r, 1, 4), Points: q.Points / 2}}
				}
			}
			total += q.Points
			s.Questions = append(s.Questions, q)
		}
		d.Sections = append(d.Sections, s)
	}
	if r.Intn(2) == 0 && total >= 1 {
		d.PassScore = float64(int(total) / 2)
	}
	return d
}

func TestTextRoundTrip(t *testing.T) {
	r := rand.New(rand.NewSource(13))
	for i := 0; i < 300; i++ {
		d := randomDocument(r)
		if err := exam.Validate(d); err != nil {
			t.Fatalf("generated an invalid document: %v", err)
		}
		out, ext, ct, err := Write("text", d)
		if err != nil || ext != "txt" || !strings.HasPrefix(ct, "text/plain") {
			t.Fatalf("write: %v %s %s", err, ext, ct)
		}
		res, err := Read("text", out, "")
		if err != nil {
			t.Fatalf("document %d: read back: %v\n%s", i, err, out)
		}
		want, _ := json.MarshalIndent(d, "", " ")
		got, _ := json.MarshalIndent(res.Exam, "", " ")
		if string(want) != string(got) {
			t.Fatalf("document %d does not come back the same\npaper:\n%s\n%s", i, out, firstDiff(string(want), string(got)))
		}
	}
}

// The demo exam (tags, tracks, a stem that keeps its "（主管、经理分别答）",
// case texts and answers of several paragraphs) comes back from both
// lossless formats the same.
func TestDemoRoundTrips(t *testing.T) {
	data, err := demo.Load()
	if err != nil {
		t.Fatal(err)
	}
	d := &data.Exam
	want, _ := json.MarshalIndent(d, "", " ")
	for _, f := range []string{"text", "xlsx"} {
		out, _, _, err := Write(f, d)
		if err != nil {
			t.Fatal(err)
		}
		res, err := Read(f, out, "")
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if got, _ := json.MarshalIndent(res.Exam, "", " "); string(got) != string(want) {
			t.Errorf("%s: the demo does not come back the same\n%s", f, firstDiff(string(want), string(got)))
		}
	}
}

// firstDiff shows where two JSON texts part.
func firstDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		if i >= len(w) || i >= len(g) || w[i] != g[i] {
			lo := max(0, i-4)
			return fmt.Sprintf("want …%s\ngot  …%s", strings.Join(w[lo:min(len(w), i+4)], "\n"), strings.Join(g[lo:min(len(g), i+4)], "\n"))
		}
	}
	return ""
}
