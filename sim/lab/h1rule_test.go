package lab

import "testing"

// H1's rule accepts both outcomes the real guest gave (all 108 answered;
// only 669-679 and 700-709) and nothing out of order or foreign.
func TestH1Rule(t *testing.T) {
	all := syncRets(500, 18) + syncRets(600, 80) + syncRets(700, 10)
	dropped := syncRets(669, 11) + syncRets(700, 10)
	for _, c := range []struct {
		data string
		ok   bool
	}{
		{all, true},
		{dropped, true},
		{syncRets(700, 10), true},
		{syncRets(669, 11), false},              // does not end with 709
		{ret(701) + ret(700) + ret(709), false}, // out of order
		{ret(499) + ret(709), false},            // not a request of H1
		{"{\"error\": {}}\n" + ret(709), false}, // not a reply to a sync
	} {
		if got := h1Rule.OK(Recv{Step: h1ReadStep, Conn: "h", Data: []byte(c.data)}); got != c.ok {
			t.Errorf("%.60q...: %v, want %v", c.data, got, c.ok)
		}
	}
}

func syncRets(first, n int) string {
	s := ""
	for id := first; id < first+n; id++ {
		s += ret(id)
	}
	return s
}
