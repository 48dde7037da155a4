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
