package email

import (
	"strings"
	"testing"
)

func TestValid(t *testing.T) {
	for _, c := range []struct {
		in   string
		want bool
	}{
		{"zhoujie@example.com", true},
		{"li.na+exam@mail.example.cn", true},
		{"王芳@例子.中国", true},
		{"a@b", false},
		{"zhoujie@example", false},
		{"<script>@x.test", false},
		{" spaced@x.test ", false},
		{"spa ced@x.test", false},
		{"tab\t@x.test", false},
		{"@x.test", false},
		{"a@@x.test", false},
		{"a@x..test", false},
		{"a@.x.test", false},
		{"a@x.test.", false},
		{"\"quoted\"@x.test", false},
		{"", false},
		{strings.Repeat("a", 245) + "@x.test", true},  // 252 characters
		{strings.Repeat("a", 248) + "@x.test", false}, // 255 characters
	} {
		if got := Valid(c.in); got != c.want {
			t.Errorf("Valid(%q) = %v, want %v", c.in, got, c.want)
		}
	}
}
