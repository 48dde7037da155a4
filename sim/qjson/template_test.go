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

// TestShape: messages read from one template share its shape, others do
// not, and a template made again is a new shape.
func TestShape(t *testing.T) {
	p := NewParser()
	shapeOf := func(s string) uint64 {
		var got []Message
		p.Feed([]byte(s), func(m Message) { got = append(got, m) })
		if len(got) != 1 || got[0].IsError() {
			t.Fatalf("%s: %+v", s, got)
		}
		return got[0].Shape
	}
	a1 := shapeOf(`{"execute":"guest-sync","arguments":{"id":1}}`)
	a2 := shapeOf(`{"execute":"guest-sync","arguments":{"id":1234567}}`)
	b := shapeOf(`{"execute":"guest-sync","arguments":{"id":1},"id":2}`)
	slow := shapeOf(`{"execute":"guest-sync","arguments":{"id":1.5}}`)
	if a1 == 0 || a1 != a2 || b == 0 || b == a1 || slow != 0 {
		t.Errorf("shapes %d %d, another %d, slow path %d", a1, a2, b, slow)
	}
	for i := range numTemplates {
		shapeOf(fmt.Sprintf(`{"n%d":1}`, i))
	}
	if a3 := shapeOf(`{"execute":"guest-sync","arguments":{"id":7}}`); a3 == 0 || a3 == a1 || a3 == b {
		t.Errorf("a template made again: shape %d, before %d", a3, a1)
	}
}
