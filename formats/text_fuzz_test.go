package formats

import (
	"os"
	"strings"
	"testing"
	"time"
)

// FuzzTextReader: whatever the bytes, the reader returns a result or an
// Unreadable, never panics, and takes bounded time.
func FuzzTextReader(f *testing.F) {
	seed, _ := os.ReadFile("testdata/seed-exam.zh.txt")
	f.Add(seed)
	for _, s := range []string{
		"一、单项选择题（每题1分，共30分）\n1、问题（ ）\nA.是 B.否\n答案：A\n",
		"1. 问\n() a.是b.不是\n1-5 ABCDA\n答案\n一、单选\n1.A 2.B\n",
		"\ufeffPart 1 True/False\r\n1) Sky is blue. Answer: T\r\n",
		"案例：x\n问题：\n1、评价（经理答）（15分）\n答：一、甲\n二、乙\n",
		"1. ____ 与 {_} （ ）\n答案：a/b；c；d\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		start := time.Now()
		res, err := ReadText(src, "")
		if d := time.Since(start); d > 2*time.Second {
			t.Fatalf("reading %d bytes took %v", len(src), d)
		}
		if err != nil {
			if _, ok := err.(*Unreadable); !ok {
				t.Fatalf("error is not Unreadable: %v", err)
			}
			return
		}
		if res.Exam == nil || len(res.Exam.Sections) == 0 {
			t.Fatal("a result without sections")
		}
		for _, p := range res.Problems {
			if p.Line < 0 || p.Line > strings.Count(string(src), "\n")+strings.Count(string(src), "\r")+1 {
				t.Fatalf("problem on line %d of a %d-line source", p.Line, strings.Count(string(src), "\n")+1)
			}
		}
	})
}
