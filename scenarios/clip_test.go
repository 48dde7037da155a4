package scenarios

import (
	"strconv"
	"strings"
	"testing"
)

func TestClip(t *testing.T) {
	long := `{"return": {"version": "7.2.0", "supported_commands": [` + strings.Repeat(`{"enabled": true, "name": "guest-x"}, `, 100) + `]}}`
	for _, c := range []struct {
		in    string
		quote bool
		want  string
	}{
		{"short", false, "short"},
		{"short", true, `"short"`},
		{strings.Repeat("a", 100), false, strings.Repeat("a", 100)},
		{strings.Repeat("a", 101), false, strings.Repeat("a", 100) + "... (1 more bytes)"},
		{long, false, long[:100] + "... (" + strconv.Itoa(len(long)-100) + " more bytes)"},
		{long, true, `"` + strings.ReplaceAll(long[:100], `"`, `\"`) + `..." (` + strconv.Itoa(len(long)-100) + " more bytes)"},
		// A character is not cut: é is 2 bytes, the 100th byte is its first.
		{strings.Repeat("a", 99) + "é" + "zz", false, strings.Repeat("a", 99) + "... (4 more bytes)"},
	} {
		if got := clip(c.in, c.quote); got != c.want {
			t.Errorf("clip(%.30q..., %v)\n got  %q\n want %q", c.in, c.quote, got, c.want)
		}
	}
}
