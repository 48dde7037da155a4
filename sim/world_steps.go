package sim

import (
	"sort"
	"unsafe"

	"github.com/qgasim/qgasim/sim/client"
	"github.com/qgasim/qgasim/sim/trace"
	"github.com/qgasim/qgasim/sim/vtime"
)

// runSteps runs the host program from the current step until a step
// blocks (a Send waiting for its outcome, a Sleep, a wait for every caller)
// or the program ends.
func (w *World) runSteps() {
	for w.waitReq == 0 && !w.waitAll && !w.stepsDone {
		if w.step >= len(w.cfg.Steps) {
			w.round++
			if w.round >= w.cfg.Repeat || len(w.cfg.Steps) == 0 {
				w.stepsDone = true
				return
			}
			w.step = 0
		}
		s := w.cfg.Steps[w.step]
		w.step++
		if w.unread.step {
			w.skip()
		} else {
			ev := w.event(trace.KindStep)
			ev.Step, ev.Text = w.step, w.stepText[w.step-1]
			w.send(ev)
		}
		if text, forS, ok := w.noteOf(s); ok {
			if w.unread.note {
				w.skip()
			} else {
				ev := w.event(trace.KindNote)
				ev.Step, ev.Text, ev.State = w.step, text, forS
				w.send(ev)
			}
		}
		switch {
		case s.Send != nil:
			w.reqSeq++
			seq := w.reqSeq
			var args []byte
			if s.Send.Arguments != "" {
				// The scenario's text itself, not a copy per send: a
				// client only reads a request's arguments
				// (client.Request), and a sweep sends thousands.
				args = unsafe.Slice(unsafe.StringData(s.Send.Arguments), len(s.Send.Arguments))
			}
			w.open[seq] = true
			if !s.Send.NoWait {
				w.waitReq = seq
			}
			ev := w.event(trace.KindIssue)
			ev.Req, ev.Cmd, ev.Text, ev.Step = seq, s.Send.Execute, s.Send.Arguments, w.step
			w.send(ev)
			w.cl.Issue(w.now, client.Request{Seq: seq, Execute: s.Send.Execute, Arguments: args, Timeout: s.Send.Timeout})
			w.drain()
			// An outcome during drain already scheduled the next step.
			if w.waitReq == 0 && !s.Send.NoWait {
				return
			}
		case s.Raw != nil:
			w.hostWrite(s.Raw.Bytes, 0, "raw")
		case s.Sleep != nil:
			w.at(vtime.Add(w.now, s.Sleep.D), w.stepsFn)
			return
		case s.Disconnect:
			w.hostClose("disconnected by the program", true)
		case s.Reconnect:
			w.hostClose("reconnect by the program", true)
			w.hostOpen()
		case s.WaitAll:
			if len(w.open) > 0 {
				w.waitAll = true // outcome goes on when the last one ends
				return
			}
		case s.StopReading != nil:
			w.readHoldUntil = max(w.readHoldUntil, vtime.Add(w.now, s.StopReading.D))
		case s.RestartClient != nil:
			w.restartClient(s.RestartClient.Down)
		}
	}
}

// noteOf is the note of a step for the World's strategy, and the strategy
// it was written for ("": every one).
func (w *World) noteOf(s Step) (text, forS string, ok bool) {
	strategy := w.cfg.Client.Strategy
	if t, ok := s.Notes[strategy]; ok {
		return t, strategy, true
	}
	if t, ok := s.Notes[AnyStrategy]; ok {
		return t, "", true
	}
	notesFor := w.cfg.NotesFor
	if notesFor == "" {
		notesFor = strategy
	}
	if s.Note != "" {
		// Written for the configured strategy unless NotesFor names
		// another: the event says a strategy only then.
		return s.Note, w.cfg.NotesFor, true
	}
	if t, ok := s.Notes[notesFor]; ok {
		return t, notesFor, true
	}
	names := make([]string, 0, len(s.Notes))
	for k := range s.Notes {
		names = append(names, k)
	}
	if len(names) == 0 {
		return "", "", false
	}
	sort.Strings(names)
	return s.Notes[names[0]], names[0], true
}

// AnyStrategy is the key of Step.Notes for a note that holds whatever the
// client.
const AnyStrategy = "any"
