package ui

import (
	"github.com/qgasim/qgasim/sim/trace"
	"github.com/qgasim/qgasim/ui/model"
)

// TraceSource is a View's Source made from recorded events: a trace file
// read back, or the events of a run kept for a test.
type TraceSource struct {
	m    *model.Model
	done bool
}

var _ Source = (*TraceSource)(nil)

// NewTraceSource folds events into a model.
func NewTraceSource(info model.Info, l model.Limits, events []trace.Event) *TraceSource {
	s := &TraceSource{m: newModel(info, l)}
	for _, ev := range events {
		s.m.Apply(ev)
		if ev.Kind == trace.KindEnd {
			s.done = true
		}
	}
	return s
}

// Model is the folded model.
func (s *TraceSource) Model() *model.Model { return s.m }

// Now is the time of the last event.
func (s *TraceSource) Now() int64 { return s.m.Now }

// Pos is the number of events.
func (s *TraceSource) Pos() int64 { return s.m.Events }

// Done reports whether the trace has its end events.
func (s *TraceSource) Done() bool { return s.done }

// ByHand is 0: a trace does not say which faults a person injected.
func (s *TraceSource) ByHand() int { return 0 }
