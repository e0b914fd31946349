package formats

import (
	"strings"
	"unicode/utf8"
)

// srcLine is one line of a text paper: the words as written (orig) and a
// folded copy (norm) the patterns match against. Folding is rune for rune,
// so a match in norm maps back to the same stretch of orig: prompts and
// options keep the writer's full-width punctuation and traditional
// characters, while the patterns need to know only one spelling.
type srcLine struct {
	n        int    // 1-based source line
	orig     []rune // as written, without the line break
	norm     string // folded
	b2r      []int  // byte offset in norm → rune index in orig
	indented bool   // starts with two spaces or a tab
}

func newSrcLine(n int, s string) *srcLine {
	l := &srcLine{n: n, orig: []rune(s)}
	l.indented = strings.HasPrefix(s, "  ") || strings.HasPrefix(s, "\t")
	var b strings.Builder
	for i, r := range l.orig {
		f := fold(r)
		for k := 0; k < utf8.RuneLen(f); k++ {
			l.b2r = append(l.b2r, i)
		}
		b.WriteRune(f)
	}
	l.b2r = append(l.b2r, len(l.orig))
	l.norm = b.String()
	return l
}

// text returns the original words of norm[from:to].
func (l *srcLine) text(from, to int) string {
	return string(l.orig[l.b2r[from]:l.b2r[to]])
}

// fold maps full-width ASCII to half-width, the ideographic space to a
// space, and the traditional forms of the words the reader looks for to
// their simplified forms. It maps one rune to one rune.
func fold(r rune) rune {
	switch {
	case r >= 0xFF01 && r <= 0xFF5E:
		return r - 0xFEE0
	case r == 0x3000 || r == 0xA0:
		return ' '
	case r == '．':
		return '.'
	case r == '﹙':
		return '('
	case r == '﹚':
		return ')'
	case r == '✓' || r == '✔' || r == '☑':
		return '√'
	case r == '✗' || r == '✘' || r == '╳' || r == '×':
		return '×'
	case r == '【' || r == '〔' || r == '［':
		return '['
	case r == '】' || r == '〕' || r == '］':
		return ']'
	}
	if s, ok := tradToSimp[r]; ok {
		return s
	}
	return r
}

var tradToSimp = map[rune]rune{
	'題': '题', '單': '单', '選': '选', '擇': '择', '斷': '断', '參': '参', '確': '确',
	'錯': '错', '對': '对', '經': '经', '項': '项', '簡': '简', '論': '论', '問': '问',
	'塡': '填', '準': '准', '標': '标', '試': '试', '間': '间', '鐘': '钟', '時': '时',
	'說': '说', '明': '明', '與': '与', '節': '节', '無': '无', '適': '适', '崗': '岗',
	'應': '应', '別': '别', '減': '减', '計': '计', '總': '总', '為': '为', '滿': '满',
	'規': '规', '則': '则', '擬': '拟', '釋': '释', '閱': '阅', '讀': '读', '料': '料',
	'優': '优', '劣': '劣', '極': '极', '格': '格', '個': '个', '點': '点', '評': '评',
}

// splitLines drops a byte-order mark and splits on LF, CRLF or CR.
func splitLines(src []byte) []*srcLine {
	s := string(src)
	s = strings.TrimPrefix(s, "\uFEFF")
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	s = strings.ReplaceAll(s, "\x00", "")
	parts := strings.Split(s, "\n")
	out := make([]*srcLine, 0, len(parts))
	for i, p := range parts {
		p = unbullet(strings.TrimRight(p, " \t\u3000"))
		for _, q := range splitRunOn(p) {
			for _, k := range splitKeyExplanation(q) {
				out = append(out, newSrcLine(i+1, k))
			}
		}
	}
	// When the questions' own lines are indented (a list pasted from a web
	// page), indentation says nothing about continuation lines.
	numbered, indented := 0, 0
	for _, l := range out {
		if t := strings.TrimSpace(l.norm); t != "" && reQuestion.MatchString(t) {
			numbered++
			if l.indented {
				indented++
			}
		}
	}
	if numbered >= 2 && indented == numbered {
		for _, l := range out {
			l.indented = false
		}
	}
	return out
}

// unbullet turns a list bullet at the start of a line ("  • 1.", "• A.",
// as lists pasted from web pages give them) into a space, so the number or
// label behind it starts the line.
func unbullet(p string) string {
	t := strings.TrimLeft(p, " \t\u3000")
	for _, b := range []string{"•", "·", "●", "▪", "◦", "■", "◆"} {
		if rest, ok := strings.CutPrefix(t, b); ok && (rest == "" || rest[0] == ' ' || rest[0] == '\t') {
			return p[:len(p)-len(t)] + " " + rest
		}
	}
	return p
}

// cnNumeral reads 一 … 九十九; 0 when s is not one.
func cnNumeral(s string) int {
	digits := map[rune]int{'一': 1, '二': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9}
	rs := []rune(s)
	switch len(rs) {
	case 1:
		if rs[0] == '十' {
			return 10
		}
		return digits[rs[0]]
	case 2:
		if rs[0] == '十' {
			return 10 + digits[rs[1]]
		}
		if rs[1] == '十' && digits[rs[0]] > 0 {
			return digits[rs[0]] * 10
		}
	case 3:
		if rs[1] == '十' && digits[rs[0]] > 0 && digits[rs[2]] > 0 {
			return digits[rs[0]]*10 + digits[rs[2]]
		}
	}
	return 0
}

// cnNumber writes 1 … 99 as Chinese numerals.
func cnNumber(n int) string {
	d := []string{"", "一", "二", "三", "四", "五", "六", "七", "八", "九"}
	switch {
	case n < 10:
		return d[n]
	case n == 10:
		return "十"
	case n < 20:
		return "十" + d[n-10]
	default:
		return d[n/10] + "十" + d[n%10]
	}
}

// romanNumeral reads I … XXXIX; 0 when s is not one.
func romanNumeral(s string) int {
	vals := map[byte]int{'I': 1, 'V': 5, 'X': 10, 'L': 50}
	total := 0
	for i := 0; i < len(s); i++ {
		v, ok := vals[s[i]]
		if !ok {
			return 0
		}
		if i+1 < len(s) && vals[s[i+1]] > v {
			total -= v
		} else {
			total += v
		}
	}
	return total
}
