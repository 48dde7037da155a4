package scenarios

import (
	"strings"
	"testing"

	"github.com/qgasim/qgasim/internal/heappeak"
)

// fillTo cuts a file made of head, then the repeated part, then tail at
// the most repeats that the limits take: the worst file the parser sees.
func fillTo(t *testing.T, head, part, tail string) []byte {
	t.Helper()
	lo, hi := 0, MaxFileSize/len(part)+1
	for lo < hi {
		m := (lo + hi + 1) / 2
		if WithinLimits([]byte(head + strings.Repeat(part, m) + tail)) {
			lo = m
		} else {
			hi = m - 1
		}
	}
	return []byte(head + strings.Repeat(part, lo) + tail)
}

// A file the limits take but the checks refuse (an unknown key at its
// end) holds at most 128 MB while it is parsed, so that with the
// collector's headroom it stays under the 256 MB resident that any
// rejected input may cost, whether it is made of tokens, of one long
// scalar, or of a long block of text. (One 8 MiB scalar held 178 MB and
// took 300 MB resident when only tokens were weighed.)
func TestRejectedInputHoldsBoundedMemoryWhateverItsShape(t *testing.T) {
	for _, c := range []struct {
		name             string
		head, part, tail string
	}{
		{"one plain scalar", "version: 1\nname: ", "n", "\nbogus: 1\n"},
		{"one quoted scalar", "version: 1\nname: \"", "\\x41", "\"\nbogus: 1\n"},
		{"a literal block", "version: 1\nname: x\ndescription: |\n", "  " + strings.Repeat("d", 1000) + "\n", "bogus: 1\n"},
		{"one-line steps", "version: 1\nname: x\nsteps:\n", "  - raw: \"a\"\n", "bogus: 1\n"},
		{"long raw steps", "version: 1\nname: x\nsteps:\n", "  - raw: \"" + strings.Repeat("a", 300) + "\"\n", "bogus: 1\n"},
	} {
		data := fillTo(t, c.head, c.part, c.tail)
		var err error
		peak := heappeak.Peak(func() { _, err = Parse("t.yaml", data) })
		if err == nil || !strings.Contains(err.Error(), `unknown key "bogus"`) {
			t.Errorf("%s: want the unknown key refused after parsing, got %.200v", c.name, err)
		}
		t.Logf("%s: %d bytes, peak live heap %d MB", c.name, len(data), peak>>20)
		if peak > 128<<20 {
			t.Errorf("%s: %d bytes held %d MB while parsed, want at most 128", c.name, len(data), peak>>20)
		}
	}
	// Past the weight, a file is refused before the YAML library sees it.
	data := []byte("version: 1\nname: " + strings.Repeat("n", MaxFileSize-40) + "\n")
	var err error
	peak := heappeak.Peak(func() { _, err = Parse("t.yaml", data) })
	if err == nil || !strings.Contains(err.Error(), "t.yaml:2:") || !strings.Contains(err.Error(), "bytes of text") {
		t.Errorf("an 8 MiB scalar: got %.200v", err)
	}
	if peak > 16<<20 {
		t.Errorf("an 8 MiB scalar held %d MB to be refused before parsing", peak>>20)
	}
}
