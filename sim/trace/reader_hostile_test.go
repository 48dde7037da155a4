package trace

import (
	"io"
	"strings"
	"testing"
)

// A line past MaxLine is an error that names its line and what is wrong,
// not the scanner's "token too long"; so is a line cut short at the end.
func TestReaderSaysWhereALineIsTooLong(t *testing.T) {
	in := `{"t":0,"seq":1,"kind":"note","text":"a"}` + "\n" + strings.Repeat("x", MaxLine+1)
	r := NewReader(strings.NewReader(in))
	if _, err := r.Next(); err != nil {
		t.Fatal(err)
	}
	_, err := r.Next()
	if err == nil || !strings.Contains(err.Error(), "line 2: longer than 64 MiB") {
		t.Fatalf("got %v, want line 2 named as too long", err)
	}
	r = NewReader(strings.NewReader(`{"t":0,"seq":1,"kind":"note","te`))
	if _, err := r.Next(); err == nil || err == io.EOF || !strings.Contains(err.Error(), "line 1:") {
		t.Fatalf("a cut line: got %v", err)
	}
}

// Times are checked: a negative one, or one before the event before it,
// is an error at its line, not a replay that silently does nothing.
func TestReaderRefusesTimesOutOfOrder(t *testing.T) {
	for in, want := range map[string]string{
		`{"t":-5,"seq":1,"kind":"note"}`:                                           "line 1: time -5 is negative",
		`{"t":5,"seq":1,"kind":"note"}` + "\n\n" + `{"t":1,"seq":2,"kind":"note"}`: "line 3: time 1 comes before the time of the event before it (5)",
	} {
		evs, err := ReadAll(strings.NewReader(in))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: got %v, %v; want %q", in, evs, err, want)
		}
	}
	evs, err := ReadAll(strings.NewReader(`{"t":5,"seq":1,"kind":"note"}` + "\n" + `{"t":5,"seq":2,"kind":"note"}` + "\n" + `{"t":6,"seq":3,"kind":"note"}`))
	if err != nil || len(evs) != 3 {
		t.Errorf("times in order: %v, %v", evs, err)
	}
}
