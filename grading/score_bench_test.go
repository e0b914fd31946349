package grading

import (
	"fmt"
	"testing"

	"examd/exam"
)

// benchAttempt is a 50-question attempt shaped like the seed exam: ten of
// each objective type (Chinese and full-width fill-ins, seven-option
// multiple choice) and ten answered essays, half of them for one track.
func benchAttempt() (*exam.Document, map[string]exam.Response) {
	var secs [5]exam.Section
	responses := make(map[string]exam.Response)
	for i := range 10 {
		id := func(t string) string { return fmt.Sprintf("%s%d", t, i) }

		fi := withID(id("fi"), fillQ(blank(1, "客人", "客户"), blank(1, "24", "二十四"), blank(0.5, "ABC")))
		secs[0].Questions = append(secs[0].Questions, fi)
		switch i % 3 {
		case 0:
			responses[fi.ID] = exam.Response{Blanks: []string{"客人", "24", "abc"}}
		case 1:
			responses[fi.ID] = exam.Response{Blanks: []string{"客户 ", "２４", "ＡＢＣ"}}
		default:
			responses[fi.ID] = exam.Response{Blanks: []string{"上司", "二十四"}}
		}

		tf := withID(id("tf"), tfQ(1, i%2 == 0))
		secs[1].Questions = append(secs[1].Questions, tf)
		responses[tf.ID] = exam.Response{Value: bptr(i%3 == 0)}

		sc := withID(id("sc"), scQ(1, "b", "abcd"))
		secs[2].Questions = append(secs[2].Questions, sc)
		responses[sc.ID] = exam.Response{Choice: sptr(string(rune('a' + i%4)))}

		mc := withID(id("mc"), fiveA(nil))
		secs[3].Questions = append(secs[3].Questions, mc)
		responses[mc.ID] = exam.Response{Choices: [][]string{keys("abcd"), keys("df"), keys("abcdefg"), keys("gecba")}[i%4]}

		es := withID(id("es"), exam.Question{Type: exam.TypeEssay, Points: 10})
		if i%2 == 0 {
			es.Tracks = []string{"manager"}
		}
		secs[4].Questions = append(secs[4].Questions, es)
		responses[es.ID] = exam.Response{Text: sptr("写字楼客务经理应重点做好客户沟通、投诉处理和服务质量管理。")}
	}
	for i := range secs {
		secs[i].ID = fmt.Sprintf("s%d", i)
	}
	return &exam.Document{Tracks: []string{"manager", "supervisor"}, Sections: secs[:]}, responses
}

func BenchmarkScoreAttempt50(b *testing.B) {
	d, responses := benchAttempt()
	if got := ScoreAttempt(d, "manager", responses); len(got.Questions) != 50 || got.PendingEssays != 10 {
		b.Fatalf("benchmark attempt is not 50 questions with 10 essays: %d, %d", len(got.Questions), got.PendingEssays)
	}
	b.ReportAllocs()
	for b.Loop() {
		ScoreAttempt(d, "manager", responses)
	}
}
