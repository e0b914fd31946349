package account

import (
	"strings"
	"testing"
)

func TestPasswordProblem(t *testing.T) {
	if n := BreachedListSize(); n < 10000 {
		t.Fatalf("breached list has %d entries, want at least 10,000", n)
	}
	for _, c := range []struct{ pw, want string }{
		{"correct horse battery", ""},
		{"短密码", "short"},
		{"123456789", "short"},
		{strings.Repeat(" ", 10), "blank"},
		{"\t\n \u3000      \u00a0", "blank"},
		{"password12", "breached"},
		{"PassWord12", "breached"},
		{"1234567890", "breached"},
		{"qwertyuiop", "breached"},
		{"十个汉字的密码是可以的", ""},
	} {
		if got := PasswordProblem(c.pw); got != c.want {
			t.Errorf("PasswordProblem(%q) = %q, want %q", c.pw, got, c.want)
		}
	}
}
