package formats

import (
	"strings"
	"testing"
)

// Layouts the brief lists that the collected papers do not all show.
func TestTextLayouts(t *testing.T) {
	for _, c := range []struct {
		name, src string
		want      []string
	}{
		{"key block after the section", "一、单项选择题（每题1分）\n1、甲（ ）\nA.一 B.二 C.三\n2、乙（ ）\nA.一 B.二 C.三\n3、丙（ ）\nA.一 B.二\n1-3 BCA\n",
			[]string{"single_choice 3 b", "single_choice 3 c", "single_choice 2 a"}},
		{"key area at the end with headings", "一、单选题\n1. 甲\nA. x\nB. y\n二、判断题\n1. 乙\n2. 丙\n参考答案\n一、单选题\n1.B\n二、判断题\n1.对 2.错\n",
			[]string{"single_choice 2 b", "true_false 0 true", "true_false 0 false"}},
		{"pairs on one line, global numbering", "1. 甲\nA. x\nB. y\n2. 乙\nA. x\nB. y\n答案\n1.A 2.B\n",
			[]string{"single_choice 2 a", "single_choice 2 b"}},
		{"key glued to the last option", "三、单选题\n1、会后应整理什么？\nA.照片B.名片C.座位D.会议纪要答案:D\n",
			[]string{"single_choice 4 d"}},
		{"key in the stem's parentheses", "1. 物业管理的核心是（ C ）\nA.收费 B.保安 C.服务\n",
			[]string{"single_choice 3 c"}},
		{"true/false keys", "二、判断题\n1、甲（√）\n2、乙（×）\n3、丙\n答案：正确\n4、丁\n答案：错误\n5、戊\n答案：T\n6、己\n答案：F\n",
			[]string{"true_false 0 true", "true_false 0 false", "true_false 0 true", "true_false 0 false", "true_false 0 true", "true_false 0 false"}},
		{"blanks of three kinds", "四、填空题（每空1分）\n1、接待要做到____、{_}和（ ）。\n答案：微笑；问候；记录\n",
			[]string{"fill_in 0 微笑|问候|记录"}},
		{"markers and (1) numbering", "(1) [多选题] 甲\nA. x\nB. y\nC. z\n正确答案：AC\n（2）（单选题）乙\nA. x\nB. y\n【答案】B\n",
			[]string{"multiple_choice 3 ac", "single_choice 2 b"}},
		{"types guessed from options and key", "1. 甲\nA. x\nB. y\nC. z\n答案：AB\n2. 乙\n答案：√\n3. 丙____\n答案：丁\n4. 谈谈你的看法。\n",
			[]string{"multiple_choice 3 ab", "true_false 0 true", "fill_in 0 丁", "essay 0 -"}},
		{"English parts and an answer key", "Front Desk Quiz\r\nPart 1 Multiple choice\r\n1. Who greets guests?\r\n(A) Porter (B) Clerk (C) Chef\r\nPart 2 True or False\r\n1. Keys may be lent.\r\nAnswer Key\r\nPart 1\r\n1. B\r\nPart 2\r\n1. F\r\n",
			[]string{"single_choice 3 b", "true_false 0 false"}},
		{"traditional characters and a BOM", "\ufeff一、單項選擇題（每題2分）\n1、問題（ ）\nA.是 B.否\n答案：B\n二、判斷題\n1、對嗎\n答案：錯\n",
			[]string{"single_choice 2 b", "true_false 0 false"}},
	} {
		res, err := ReadText([]byte(c.src), "")
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		var got []string
		for _, s := range res.Exam.Sections {
			for _, q := range s.Questions {
				got = append(got, describe(q))
			}
		}
		if strings.Join(got, "; ") != strings.Join(c.want, "; ") {
			t.Errorf("%s:\n got %v\nwant %v\nproblems %v", c.name, got, c.want, res.Problems)
		}
	}
}
