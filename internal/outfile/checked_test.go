package outfile

import (
	"errors"
	"fmt"
	"io"
	"os"
	"testing"
)

// failAfter accepts n bytes, then fails.
type failAfter struct {
	n   int
	got []byte
}

var errFull = errors.New("disk full")

func (f *failAfter) Write(p []byte) (int, error) {
	if len(p) > f.n {
		f.got = append(f.got, p[:f.n]...)
		n := f.n
		f.n = 0
		return n, errFull
	}
	f.n -= len(p)
	f.got = append(f.got, p...)
	return len(p), nil
}

func TestCheckedRemembersTheFirstError(t *testing.T) {
	under := &failAfter{n: 8}
	c := NewChecked(under)
	fmt.Fprintf(c, "12345")
	if c.Err() != nil {
		t.Fatalf("error after 5 of 8 bytes: %v", c.Err())
	}
	fmt.Fprintf(c, "67890")
	if !errors.Is(c.Err(), errFull) {
		t.Fatalf("Err = %v, want the disk-full error", c.Err())
	}
	// Later writes fail at once and reach nothing, even if they would fit.
	under.n = 100
	if n, err := c.Write([]byte("x")); n != 0 || !errors.Is(err, errFull) {
		t.Errorf("write after the error: %d, %v", n, err)
	}
	if string(under.got) != "12345678" {
		t.Errorf("the underlying writer got %q", under.got)
	}
}

type shortWriter struct{}

func (shortWriter) Write(p []byte) (int, error) { return len(p) / 2, nil }

func TestCheckedShortWriteIsAnError(t *testing.T) {
	c := NewChecked(shortWriter{})
	fmt.Fprint(c, "abcd")
	if !errors.Is(c.Err(), io.ErrShortWrite) {
		t.Errorf("Err = %v, want io.ErrShortWrite", c.Err())
	}
}

func TestCheckedDevFull(t *testing.T) {
	f, err := os.OpenFile("/dev/full", os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	c := NewChecked(f)
	fmt.Fprintln(c, "a report")
	if c.Err() == nil {
		t.Error("a write to /dev/full was not caught")
	}
}
