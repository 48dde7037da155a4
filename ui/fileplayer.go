package ui

import (
	"fmt"
	"io"
	"os"

	"github.com/qgasim/qgasim/sim/trace"
	"github.com/qgasim/qgasim/ui/model"
)

// FilePlayer plays a recorded trace file (qgasim tui --trace) without
// holding it in memory: it reads the file as it goes, one event ahead, and
// keeps only the view model (bounded by its Limits, as for a run). A step
// back, a jump or a g folds the file again from its start to the moment
// wanted, as the Runner re-runs the World: the time grows with the
// position, the memory does not. Opening it reads the whole file once, to
// check every line (a bad line is an error at once, with its number) and
// to count the events.
type FilePlayer struct {
	path   string
	f      *os.File
	info   model.Info
	limits model.Limits

	r      *trace.Reader
	next   *trace.Event // the event after the last applied, read ahead
	pos    int64        // events applied
	total  int64        // events in the file
	lastT  int64        // time of the file's last event
	done   bool
	m      *model.Model
	failed error // a read that failed after the file was checked (it changed)
}

var _ Player = (*FilePlayer)(nil)

// TraceFile is what a first pass over a trace file found.
type TraceFile struct {
	Events  int64
	Session *trace.Session // the live session that made it, if it says
	LastT   int64
}

// ScanTraceFile reads a trace file once: every line must be an event.
func ScanTraceFile(path string) (TraceFile, error) {
	f, err := os.Open(path)
	if err != nil {
		return TraceFile{}, err
	}
	defer f.Close()
	var tf TraceFile
	r := trace.NewReader(f)
	for {
		ev, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return tf, err
		}
		tf.Events++
		tf.LastT = ev.T
		if ev.Kind == trace.KindSession && ev.Session != nil && tf.Session == nil {
			s := *ev.Session
			tf.Session = &s
		}
	}
	if tf.Events == 0 {
		return tf, fmt.Errorf("no events")
	}
	return tf, nil
}

// OpenTracePlayer opens a trace file that ScanTraceFile found good, at its
// start.
func OpenTracePlayer(path string, tf TraceFile, info model.Info, l model.Limits) (*FilePlayer, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	p := &FilePlayer{path: path, f: f, info: info, limits: l, total: tf.Events, lastT: tf.LastT}
	if err := p.rewind(); err != nil {
		f.Close()
		return nil, err
	}
	return p, nil
}

// Close closes the file.
func (p *FilePlayer) Close() error { return p.f.Close() }

// rewind goes back to the start of the file with a new view model.
func (p *FilePlayer) rewind() error {
	if _, err := p.f.Seek(0, io.SeekStart); err != nil {
		return err
	}
	p.r = trace.NewReader(p.f)
	p.m, p.pos, p.next, p.done = newModel(p.info, p.limits), 0, nil, false
	return p.peek()
}

// peek reads the next event, if there is one.
func (p *FilePlayer) peek() error {
	if p.next != nil || p.done {
		return nil
	}
	ev, err := p.r.Next()
	if err == io.EOF {
		p.done = true
		return nil
	}
	if err != nil {
		p.failed = fmt.Errorf("%s changed while it was shown: %v", p.path, err)
		p.done = true
		return p.failed
	}
	p.next = &ev
	return nil
}

// apply applies the event read ahead and reads the one after.
func (p *FilePlayer) apply() {
	ev := *p.next
	p.next = nil
	p.m.Apply(ev)
	p.pos++
	p.peek()
}

// Model is the view model.
func (p *FilePlayer) Model() *model.Model { return p.m }

// Now is the time of the last event applied.
func (p *FilePlayer) Now() int64 { return p.m.Now }

// Pos is the number of events applied.
func (p *FilePlayer) Pos() int64 { return p.pos }

// Done reports whether every event is applied.
func (p *FilePlayer) Done() bool { return p.done && p.next == nil }

// ByHand is 0: a trace has no faults injected by hand.
func (p *FilePlayer) ByHand() int { return 0 }

// Err is a read that failed after the file was checked.
func (p *FilePlayer) Err() error { return p.failed }

// Step applies the next moment's events (those at one virtual time).
func (p *FilePlayer) Step() bool {
	if p.next == nil {
		return false
	}
	t := p.next.T
	for p.next != nil && p.next.T == t {
		p.apply()
	}
	return !p.Done()
}

// to folds the file again from its start to event index end.
func (p *FilePlayer) to(end int64) error {
	if err := p.rewind(); err != nil {
		return err
	}
	for p.pos < end && p.next != nil {
		p.apply()
	}
	return p.failed
}

// momentStart is the index of the first event at the time of event i,
// found by reading the file's times from the start (no view model).
func (p *FilePlayer) momentStart(i int64) (int64, error) {
	f, err := os.Open(p.path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	r := trace.NewReader(f)
	start, lastT := int64(0), int64(-1)
	for k := int64(0); k <= i; k++ {
		ev, err := r.Next()
		if err != nil {
			return 0, fmt.Errorf("%s: %v", p.path, err)
		}
		if ev.T != lastT {
			start, lastT = k, ev.T
		}
	}
	return start, nil
}

// Back goes to the moment before the current one.
func (p *FilePlayer) Back() error {
	if p.pos == 0 {
		return nil
	}
	start, err := p.momentStart(p.pos - 1)
	if err != nil {
		return err
	}
	return p.to(start)
}

// JumpTo goes to the end of the moment that holds event pos (0: the start).
func (p *FilePlayer) JumpTo(pos int64) error {
	pos = min(max(0, pos), p.total)
	if err := p.to(pos); err != nil {
		return err
	}
	if pos > 0 && p.next != nil && p.next.T == p.m.Now {
		p.Step() // the rest of that moment
	}
	return p.failed
}

// End applies every event.
func (p *FilePlayer) End() {
	for p.next != nil {
		p.apply()
	}
}

// Advance plays dt of virtual time: the events up to the time dt after
// the current one.
func (p *FilePlayer) Advance(dt int64) {
	target := p.m.Now + dt
	for p.next != nil && p.next.T <= target {
		p.apply()
	}
	p.m.Now = max(p.m.Now, min(target, p.lastT))
}
