package sim

import (
	"fmt"

	"github.com/qgasim/qgasim/sim/trace"
)

// CheckAccounting checks a finished trace against the link's accounting
// rule: in each direction every byte the writer wrote is delivered exactly
// once, or named lost by exactly one fault or transport event, or still in
// flight at the end; every delivered byte whose value differs from the
// written one is named changed by a fault; and the bytes faults added are
// all delivered, lost or in flight. It returns the first violation.
func CheckAccounting(evs []trace.Event) error {
	for _, dir := range []string{trace.H2A, trace.A2H} {
		if err := checkDir(evs, dir); err != nil {
			return fmt.Errorf("%s: %w", dir, err)
		}
	}
	return nil
}

func checkDir(evs []trace.Event, dir string) error {
	var written []byte
	var end *trace.Event
	for i := range evs {
		e := &evs[i]
		if e.Dir != dir {
			continue
		}
		switch {
		case (e.Kind == trace.KindHostWrite || e.Kind == trace.KindAgentReply || e.Kind == trace.KindAgentWrite) && e.N > 0:
			if e.Off != int64(len(written)) {
				return fmt.Errorf("event %d: write at %d, stream at %d", e.Seq, e.Off, len(written))
			}
			written = append(written, e.Bytes...)
		case e.Kind == trace.KindEnd:
			end = e
		}
	}
	if end == nil {
		return fmt.Errorf("no end event")
	}
	if end.Off != int64(len(written)) {
		return fmt.Errorf("end says %d bytes written, the writes add up to %d", end.Off, len(written))
	}
	seen := make([]uint8, len(written))
	changed := make([]bool, len(written))
	var added, addedOut int64
	mark := func(ev int64, spans []trace.Span, what string) error {
		for _, s := range spans {
			if s.Off < 0 {
				addedOut += s.N
				continue
			}
			for o := s.Off; o < s.Off+s.N; o++ {
				if o >= int64(len(seen)) {
					return fmt.Errorf("event %d: %s byte %d beyond the %d written", ev, what, o, len(seen))
				}
				if seen[o] != 0 {
					return fmt.Errorf("event %d: byte %d %s, but it was accounted for already", ev, o, what)
				}
				seen[o] = 1
			}
		}
		return nil
	}
	for i := range evs {
		e := &evs[i]
		if e.Dir != dir {
			continue
		}
		switch e.Kind {
		case trace.KindFault:
			added += e.Added
			for _, s := range e.Changed {
				for o := s.Off; s.Off >= 0 && o < s.Off+s.N && o < int64(len(changed)); o++ {
					changed[o] = true
				}
			}
			if err := mark(e.Seq, e.Lost, "lost"); err != nil {
				return err
			}
		case trace.KindDrop:
			if err := mark(e.Seq, e.Lost, "lost"); err != nil {
				return err
			}
		case trace.KindDeliver:
			k := 0
			for _, s := range e.Src {
				for j := int64(0); j < s.N; j++ {
					if s.Off >= 0 {
						o := s.Off + j
						if o < int64(len(written)) && written[o] != e.Bytes[k] && !changed[o] {
							return fmt.Errorf("event %d: byte %d delivered as %#x, written as %#x, and no fault changed it", e.Seq, o, e.Bytes[k], written[o])
						}
					}
					k++
				}
			}
			if k != len(e.Bytes) {
				return fmt.Errorf("event %d: src covers %d bytes, %d delivered", e.Seq, k, len(e.Bytes))
			}
			if err := mark(e.Seq, e.Src, "delivered"); err != nil {
				return err
			}
		case trace.KindEnd:
			if err := mark(e.Seq, e.Src, "in flight"); err != nil {
				return err
			}
		}
	}
	for o, s := range seen {
		if s == 0 {
			return fmt.Errorf("byte %d (%#x) written and never delivered, lost or in flight", o, written[o])
		}
	}
	if added != addedOut {
		return fmt.Errorf("faults added %d bytes, %d were delivered, lost or in flight", added, addedOut)
	}
	return nil
}
