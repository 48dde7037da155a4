package upstream

import (
	"reflect"
	"testing"
)

func TestSplitWords(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"qemu-ga -m unix-listen -p /tmp/a", []string{"qemu-ga", "-m", "unix-listen", "-p", "/tmp/a"}},
		{`a 'b c' "d \"e\"" f\ g`, []string{"a", "b c", `d "e"`, "f g"}},
		{"  ", nil},
		{`x''`, []string{"x"}},
		{`''`, []string{""}},
	} {
		got, err := SplitWords(tc.in)
		if err != nil || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%q: %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
	for _, bad := range []string{`'x`, `"x`} {
		if _, err := SplitWords(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	if _, _, err := ParseAddr("udp:x"); err == nil {
		t.Error("udp accepted")
	}
}
