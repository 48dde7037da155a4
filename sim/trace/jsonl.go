package trace

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// Writer writes events as JSON Lines: one JSON object per line, fields in
// the order of Event, zero fields left out.
type Writer struct {
	w   io.Writer
	buf []byte
}

// NewWriter returns a Writer on w. It does not buffer: wrap w in a
// bufio.Writer for files.
func NewWriter(w io.Writer) *Writer { return &Writer{w: w} }

// Write writes one event and its newline (AppendJSON: the bytes
// json.Marshal gives, without its cost).
func (w *Writer) Write(ev Event) error {
	w.buf = append(AppendJSON(w.buf[:0], &ev), '\n')
	_, err := w.w.Write(w.buf)
	return err
}

// WriteAll writes events to w as JSON Lines.
func WriteAll(w io.Writer, evs []Event) error {
	bw := bufio.NewWriter(w)
	tw := NewWriter(bw)
	for _, ev := range evs {
		if err := tw.Write(ev); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// Reader reads events written by Writer.
type Reader struct {
	sc   *bufio.Scanner
	line int
	last int64 // the time of the event before
}

// MaxLine is the longest line a Reader reads (64 MiB): an event's bytes
// are at most a write of the link, far below it.
const MaxLine = 64 << 20

// NewReader returns a Reader on r. Lines may be up to MaxLine long.
func NewReader(r io.Reader) *Reader {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), MaxLine)
	return &Reader{sc: sc}
}

// Next returns the next event, or io.EOF after the last one. Empty lines
// are skipped; unknown fields are an error, so that a trace from a newer
// writer is not read wrong in silence. So is a time that is negative or
// goes back: a writer's events come in the order of virtual time, and a
// replay of host writes out of order made none of them, then reported no
// difference.
func (r *Reader) Next() (Event, error) {
	for r.sc.Scan() {
		r.line++
		b := r.sc.Bytes()
		if len(b) == 0 {
			continue
		}
		var ev Event
		if err := decodeStrict(b, &ev); err != nil {
			return Event{}, fmt.Errorf("trace: line %d: %w", r.line, err)
		}
		switch {
		case ev.T < 0:
			return Event{}, fmt.Errorf("trace: line %d: time %d is negative (times are nanoseconds from the start)", r.line, ev.T)
		case ev.T < r.last:
			return Event{}, fmt.Errorf("trace: line %d: time %d comes before the time of the event before it (%d): events are in time order", r.line, ev.T, r.last)
		}
		r.last = ev.T
		return ev, nil
	}
	if err := r.sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return Event{}, fmt.Errorf("trace: line %d: longer than %d MiB, the longest line a trace has", r.line+1, MaxLine>>20)
		}
		return Event{}, fmt.Errorf("trace: line %d: %w", r.line+1, err)
	}
	return Event{}, io.EOF
}

// ReadAll reads every event from r.
func ReadAll(r io.Reader) ([]Event, error) {
	tr := NewReader(r)
	var evs []Event
	for {
		ev, err := tr.Next()
		if err == io.EOF {
			return evs, nil
		}
		if err != nil {
			return evs, err
		}
		evs = append(evs, ev)
	}
}

func decodeStrict(b []byte, ev *Event) error {
	dec := json.NewDecoder(bytesReader(b))
	dec.DisallowUnknownFields()
	return dec.Decode(ev)
}
