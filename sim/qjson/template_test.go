package qjson

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// bigObject is an object of n integer members, base, base+1, ...: more
// members than a Dict keeps sorted as they come (smallDict).
func bigObject(n, base int) []byte {
	parts := make([]string, n)
	for i := range parts {
		parts[i] = fmt.Sprintf(`"k%02d":%d`, i, base+i)
	}
	return []byte("{" + strings.Join(parts, ",") + "}")
}

// TestTemplateBigObject: an object whose members a walk sorts (more than
// smallDict of them) and then the same object with other numbers: the
// template sets the numbers where the sorted members are, not where they
// were when it was kept.
func TestTemplateBigObject(t *testing.T) {
	for _, n := range []int{smallDict - 1, smallDict, smallDict + 1, 40} {
		a, b := bigObject(n, 10), bigObject(n, 50)
		slow := NewParser()
		slow.slow = true
		want := feed(slow, a, b, a)
		if got := feed(NewParser(), a, b, a); !slices.Equal(got, want) {
			t.Errorf("%d members:\n got %q\nwant %q", n, got, want)
		}
	}
}
