package formats

import (
	"fmt"
	"strings"
	"testing"
)

// paper500 is a generated 500-question paper of about 150 KB: five sections
// of a hundred questions, every layout the reader meets most.
func paper500() []byte {
	var b strings.Builder
	b.WriteString("物业客服综合笔试（五百题）\n考试时间：120分钟\n")
	stem := "业主在晚间报修时，客服人员应当首先确认报修的具体位置、紧急程度以及联系方式，并且记录在案以便跟进，同时在当天下班之前把处理的结果向值班主管做一次汇报"
	heads := []string{"一、单项选择题（每题1分，共100分）", "二、多项选择题（每题3分，共300分）", "三、判断题（每题1分）", "四、填空题（每空1分）", "五、简答题（每题5分）"}
	for s, h := range heads {
		b.WriteString(h + "\n")
		for i := 1; i <= 100; i++ {
			switch s {
			case 0:
				fmt.Fprintf(&b, "%d、%s（ ）\nA.立即上门 B.记录后转交 C.请业主自行处理 D.次日再说\n答案：B\n", i, stem)
			case 1:
				fmt.Fprintf(&b, "%d. %s，下列做法正确的有（ ）\nA. 核实地址\nB. 询问情况\nC. 拒绝受理\nD. 安排维修答案：ABD\n", i, stem)
			case 2:
				fmt.Fprintf(&b, "%d、%s。（ ）\n答案：√\n", i, stem)
			case 3:
				fmt.Fprintf(&b, "%d、%s，报修单应在____小时内回访，并由____签字确认。\n答案：24；业主\n", i, stem)
			case 4:
				fmt.Fprintf(&b, "%d、%s，请简述你的处理流程？\n参考答案：先确认，再派单，最后回访，并记录在案。\n", i, stem)
			}
		}
	}
	return []byte(b.String())
}

func TestPaper500(t *testing.T) {
	src := paper500()
	res, err := ReadText(src, "")
	if err != nil {
		t.Fatal(err)
	}
	if n := len(src); n < 140_000 || n > 160_000 {
		t.Errorf("the paper is %d bytes, not about 150 KB", n)
	}
	st := Count(res.Exam)
	if st.Questions != 500 || st.ByType["single_choice"] != 100 || st.ByType["multiple_choice"] != 100 || st.ByType["true_false"] != 100 || st.ByType["fill_in"] != 100 || st.ByType["essay"] != 100 {
		t.Fatalf("500-question paper read as %+v (%d bytes)", st, len(src))
	}
	for _, p := range res.Problems {
		t.Errorf("problem in a complete paper: %+v", p)
	}
}

func BenchmarkImportText500(b *testing.B) {
	src := paper500()
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := ReadText(src, ""); err != nil {
			b.Fatal(err)
		}
	}
}
