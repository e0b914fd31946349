package formats

import (
	"strings"
	"testing"
)

func TestSplitRunOn(t *testing.T) {
	cases := []struct {
		name, line string
		want       []string // nil: the line stays whole
	}{
		{"a paper on one line",
			"一、单选题(每题1分)1、先做什么?A.道歉B.争辩2、再做什么?A.记录B.离开3、最后?A.回访B.不理【解析】先安抚。二、判断题4、可以争辩。()",
			[]string{"一、单选题(每题1分)", "1、先做什么?A.道歉B.争辩", "2、再做什么?A.记录B.离开", "3、最后?A.回访B.不理", "【解析】先安抚。", "二、判断题", "4、可以争辩。()"}},
		{"numbering restarts after a heading, decimals and words keep their numbers",
			"1. 限时1.5小时的岗位是?A. 前台B. 保安2. 第3条规定?A. 是B. 否3. GB20647.3 适用于?A. 物业B. 酒店二、多选题1. 哪些对?A. 甲B. 乙参考答案:1.A 2.B 3.A",
			[]string{"1. 限时1.5小时的岗位是?A. 前台B. 保安", "2. 第3条规定?A. 是B. 否", "3. GB20647.3 适用于?A. 物业B. 酒店", "二、多选题", "1. 哪些对?A. 甲B. 乙", "参考答案:1.A 2.B 3.A"}},
		{"English: Question N. and inline Answer: and Explanation:",
			"Question 1. Which first? A) Greet B) Wait Answer: A Explanation: Greet first. Question 2. Then? A) Ask B) Leave Answer: A Q3: Last? A) Thank B) Go",
			[]string{"Question 1. Which first? A) Greet B) Wait", "Answer: A", "Explanation: Greet first.", "Question 2. Then? A) Ask B) Leave", "Answer: A", "Q3: Last? A) Thank B) Go"}},
		{"an essay's answer with numbered points",
			"答:1、理念:以客户为中心,把客户的需求放在首位;2、渠道:建档、回访、座谈会、满意度调查;3、区分层次,与决策层和普通员工分别沟通;4、及时处理报修和投诉。A. B. 不是选项",
			nil},
		{"numbers out of sequence",
			"本卷共有2大题,1、考试时间90分钟;3、请用黑色笔作答;5、交卷后离场,不得带走试卷或草稿纸,否则成绩作废。A.注意B.事项",
			nil},
		{"short", "1、是A.对B.错2、否A.对B.错3、?", nil},
	}
	for _, c := range cases {
		got := splitRunOn(c.line)
		want := c.want
		if want == nil {
			want = []string{c.line}
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("%s:\n got %q\nwant %q", c.name, got, want)
		}
	}
}
