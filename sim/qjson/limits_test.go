package qjson

import (
	"bytes"
	"slices"
	"strings"
	"testing"
)

const (
	eNesting = "error: " + ErrNesting
	eCount   = "error: " + ErrTokenCount
	eSize    = "error: " + ErrTokenSize
)

func TestNestingLimit(t *testing.T) {
	in := strings.Repeat("[", 1024) + strings.Repeat("]", 1024)
	if got := feedString(in); len(got) != 1 || got[0] != in {
		t.Errorf("1024 levels: got %.80q", got)
	}
	// The 1025th '[' fails; the rest are lexed afresh (no recovery).
	got := feedString(strings.Repeat("[", 1025) + "]" + ping)
	if want := []string{eNesting, eValue, pingOut}; !slices.Equal(got, want) {
		t.Errorf("1025 levels: got %q, want %q", got, want)
	}
	got = feedString(strings.Repeat(`{"a":`, 1025))
	if want := []string{eNesting, `"a"`, eValue}; !slices.Equal(got, want) {
		t.Errorf("1025 objects: got %q, want %q", got, want)
	}
	// 2000 '[': the 975 left over swallow a request until 975 ']' arrive.
	p := NewParser()
	got = feed(p, bytes.Repeat([]byte("["), 2000), []byte(ping))
	if want := []string{eNesting}; !slices.Equal(got, want) {
		t.Errorf("2000 '[': got %q", got)
	}
	got = feed(p, bytes.Repeat([]byte("]"), 975), []byte(ping))
	if len(got) != 2 || !strings.HasPrefix(got[0], "[[[") || got[1] != pingOut {
		t.Errorf("975 ']': got %.120q", got)
	}
}

func TestTokenCountLimit(t *testing.T) {
	if testing.Short() {
		t.Skip("two million tokens")
	}
	// [ 0, 0, ... [] ] is 2k+4 tokens: k = 1048574 gives 2097152.
	pass := "[" + strings.Repeat("0,", 1048574) + "[]]" + ping
	got := feedString(pass)
	if len(got) != 2 || strings.HasPrefix(got[0], "error") || got[1] != pingOut {
		t.Errorf("2097152 tokens: got %.100q", got)
	}
	// [ 0, ... 0 ] with k = 1048575 is 2097153 tokens: the last ']' fails
	// and is dropped.
	fail := "[" + strings.Repeat("0,", 1048575) + "0]" + ping
	if got := feedString(fail); !slices.Equal(got, []string{eCount, pingOut}) {
		t.Errorf("2097153 tokens: got %.200q", got)
	}
}

func TestTokenSizeLimit(t *testing.T) {
	if testing.Short() {
		t.Skip("64 MiB")
	}
	// One string longer than 64 MiB: the lexer hands it over in the middle
	// and lexes the rest afresh, here as the keyword "bcd".
	in := append([]byte{'"'}, bytes.Repeat([]byte("a"), MaxTokenSize)...)
	in = append(in, `bcd" `+ping...)
	got := feed(NewParser(), in)
	want := []string{eSize, "error: JSON parse error, invalid keyword 'bcd'"}
	if len(got) < 2 || !slices.Equal(got[:2], want) {
		t.Errorf("64 MiB string: got %.200q", got)
	}
	// Two strings of 32 MiB in one array: the message outgrows the limit.
	half := bytes.Repeat([]byte("a"), 32<<20)
	in = slices.Concat([]byte(`["`), half, []byte(`","`), half, []byte(`"]`), []byte(ping))
	if got := feed(NewParser(), in); !slices.Equal(got, []string{eSize, eValue, pingOut}) {
		t.Errorf("64 MiB message: got %.200q", got)
	}
}
