package termsafe

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestLine(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"plain text, 0xFF and ü", "plain text, 0xFF and ü"},
		{"\x1b]0;pwned\x07title", `\x1b]0;pwned\x07title`},
		{"a\nPASS   seed 42", `a\nPASS   seed 42`},
		{"cr\roverwrite", `cr\roverwrite`},
		{"tab\there", `tab\there`},
		{"del\x7f nul\x00", `del\x7f nul\x00`},
		{"c1 csi \u009b2J", `c1 csi \u009b2J`},
		{"raw c1 byte \x9b2J", `raw c1 byte \x9b2J`},
		{"bad utf8 \xff\xfe", `bad utf8 \xff\xfe`},
		{"cut \xe2\x82", `cut \xe2\x82`},
		{"bidi \u202egnp.exe", `bidi \u202egnp.exe`},
		{"replacement char \ufffd is text", "replacement char \ufffd is text"},
		{`a backslash \x1b stays`, `a backslash \x1b stays`},
	} {
		if got := Line(c.in); got != c.want {
			t.Errorf("Line(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestBlock(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"one line", "one line"},
		{"first\nsecond", "first\n  second"},
		{"note\nPASS   seed 1\n\x1b[2J", "note\n  PASS   seed 1\n  \\x1b[2J"},
		{"crlf\r\nline", "crlf\\r\n  line"},
	} {
		if got := Block(c.in, "  "); got != c.want {
			t.Errorf("Block(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// Whatever the input, the output of Line has no byte below 0x20, no DEL,
// is valid UTF-8 and has no C1 or bidi control; Block's lines all start
// with the indent.
func FuzzEscape(f *testing.F) {
	for _, s := range []string{"", "a\nb", "\x1b[31mred", "\xc2\x9b", "\xe2\x80\xae", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkSafe(t, Line(s), false)
		b := Block(s, "  ")
		checkSafe(t, b, true)
		for i, line := range strings.Split(b, "\n") {
			if i > 0 && !strings.HasPrefix(line, "  ") {
				t.Errorf("Block(%q): line %d %q is not indented", s, i, line)
			}
		}
		var out bytes.Buffer
		w := NewWriter(&out)
		// Written in pieces of every length, to cut UTF-8 sequences.
		for i := 0; i < len(s); i += 3 {
			if _, err := w.Write([]byte(s[i:min(i+3, len(s))])); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		got := out.String()
		checkSafeStream(t, got)
		if clean := strings.ReplaceAll(strings.ReplaceAll(s, "\n", ""), "\t", ""); Line(clean) == clean && got != s {
			t.Errorf("Writer changed clean text %q to %q", s, got)
		}
	})
}

func checkSafe(t *testing.T, s string, nlOK bool) {
	t.Helper()
	if !utf8.ValidString(s) {
		t.Errorf("not UTF-8: %q", s)
	}
	for _, r := range s {
		if (r < 0x20 && !(nlOK && r == '\n')) || r == 0x7f || isUnsafeRune(r) {
			t.Errorf("unsafe rune %U in %q", r, s)
		}
	}
}

func checkSafeStream(t *testing.T, s string) {
	t.Helper()
	if !utf8.ValidString(s) {
		t.Errorf("not UTF-8: %q", s)
	}
	for _, r := range s {
		if (r < 0x20 && r != '\n' && r != '\t') || r == 0x7f || isUnsafeRune(r) {
			t.Errorf("unsafe rune %U in %q", r, s)
		}
	}
}

func TestWriterKeepsLayout(t *testing.T) {
	var out bytes.Buffer
	w := NewWriter(&out)
	in := "name\tsummary\nü is two bytes\n\x1b[2Jclear\r\n"
	// One byte at a time: ü cut in two.
	for i := 0; i < len(in); i++ {
		if n, err := w.Write([]byte{in[i]}); n != 1 || err != nil {
			t.Fatalf("write: %d %v", n, err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	want := "name\tsummary\nü is two bytes\n\\x1b[2Jclear\\r\n"
	if out.String() != want {
		t.Errorf("got %q, want %q", out.String(), want)
	}
	// A sequence still cut at the end is escaped by Flush.
	out.Reset()
	_, _ = w.Write([]byte("end \xe2\x82"))
	if out.String() != "end " {
		t.Errorf("before Flush: %q", out.String())
	}
	_ = w.Flush()
	if out.String() != `end \xe2\x82` {
		t.Errorf("after Flush: %q", out.String())
	}
}
