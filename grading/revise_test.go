package grading

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"examd/exam"
)

func TestCheckCriteria(t *testing.T) {
	rubric := []exam.RubricItem{{Criterion: "a", Points: 4}, {Criterion: "b", Points: 6}, {Criterion: "c", Points: 0.5}}
	c := func(pairs ...float64) []Criterion {
		var out []Criterion
		for i := 0; i+1 < len(pairs); i += 2 {
			out = append(out, Criterion{Index: int(pairs[i]), Points: pairs[i+1]})
		}
		return out
	}
	cases := []struct {
		name   string
		rubric []exam.RubricItem
		crit   []Criterion
		points float64
		want   string // "field:code …", "" for fine
	}{
		{"none", rubric, nil, 7, ""},
		{"all, exact", rubric, c(0, 4, 1, 6, 2, 0.5), 10.5, ""},
		{"a subset", rubric, c(1, 2.5), 2.5, ""},
		{"halves add exactly", rubric, c(0, 0.5, 1, 0.5, 2, 0.5), 1.5, ""},
		{"zeros", rubric, c(0, 0, 1, 0), 0, ""},
		{"sum short", rubric, c(0, 1, 1, 1), 3, "criteria:sum_mismatch"},
		{"sum over", rubric, c(0, 4), 3.5, "criteria:sum_mismatch"},
		{"over a maximum", rubric, c(2, 1), 1, "criteria[0].points:out_of_range"},
		{"negative", rubric, c(0, -0.5), -0.5, "criteria[0].points:out_of_range"},
		{"quarter", rubric, c(0, 0.25), 0.25, "criteria[0].points:not_multiple_of_half"},
		{"index 3 of 3", rubric, c(3, 1), 1, "criteria[0].index:out_of_range"},
		{"index twice", rubric, c(1, 1, 1, 1), 2, "criteria[1].index:duplicate"},
		{"every problem at once", rubric, c(5, 1, 0, 9, 0, 1), 11, "criteria[0].index:out_of_range criteria[1].points:out_of_range criteria[2].index:duplicate"},
		{"no rubric", nil, c(0, 1), 1, "criteria:too_many"},
	}
	for _, tc := range cases {
		err := checkCriteria(tc.crit, tc.rubric, tc.points)
		var got []string
		var ve *exam.ValidationError
		if errors.As(err, &ve) {
			for _, p := range ve.Problems {
				got = append(got, p.Field+":"+p.Code)
			}
		} else if err != nil {
			t.Errorf("%s: %v is not a validation error", tc.name, err)
		}
		if g := strings.Join(got, " "); g != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, g, tc.want)
		}
	}
}

// The final-score rule has one owner: sqlFinalSlot keeps exactly the slots
// of a single mark and of a double-marked essay's final item, and no other
// file of the package spells the slot list out again.
func TestFinalSlotRuleHasOneOwner(t *testing.T) {
	f := newFixture(t)
	var got []int
	if err := f.db.Raw(`SELECT slot FROM generate_series(0, 3) slot WHERE ` + sqlFinalSlot + ` ORDER BY slot`).Scan(&got).Error; err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0] != slotSingle || got[1] != slotFinal {
		t.Fatalf("sqlFinalSlot keeps slots %v, want [%d %d]", got, slotSingle, slotFinal)
	}
	files, _ := filepath.Glob("*.go")
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") || name == "double.go" {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(src), "IN (0, 3)") {
			t.Errorf("%s writes the final slots itself; use sqlFinalSlot", name)
		}
	}
}
