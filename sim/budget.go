package sim

import (
	"errors"
	"fmt"
)

// DefaultMaxEvents is the event budget of a run whose Config gives none: a
// run that reaches it stops with ErrBudget instead of running (and, for a
// caller that keeps events, growing) without end. A fault-heavy run makes
// about 15 events per request, so the default allows several million
// requests; Config.MaxEvents raises or lowers it.
//
// The budget counts both the trace events and the scheduled actions the
// World runs (a timer, a fault firing, a read): a trigger that fires every
// nanosecond and changes nothing makes no event, but it makes actions.
const DefaultMaxEvents int64 = 100_000_000

// MaxPending bounds the actions waiting in the World's queue (and the
// commands waiting for the agent's parser). A run needs a few dozen; only a
// trigger that fires faster than the effects it starts end (a host
// reconnect every millisecond, each down for a second) piles them up, and
// such a run stops with ErrBudget before it runs out of memory.
const MaxPending = 1 << 18

// MaxHeldBytes bounds the bytes each direction of the link holds for a
// reader that does not read (an agent that never comes back, a host that
// keeps writing): past it the run stops with ErrBudget.
const MaxHeldBytes = 64 << 20

// ErrBudget is what a run that reached one of its budgets stops with
// (errors.Is); the error is a *BudgetError that says which and when.
var ErrBudget = errors.New("sim: budget reached")

// BudgetError says which budget a run reached, and when.
type BudgetError struct {
	What  string // "events", "pending" or "held"
	Limit int64
	At    int64 // virtual time, ns
}

func (e *BudgetError) Error() string {
	at := fmt.Sprintf("%.3fs", float64(e.At)/1e9)
	switch e.What {
	case "pending":
		return fmt.Sprintf("more than %d actions pending at t=%s: a trigger fires faster than the effects it starts end", e.Limit, at)
	case "held":
		return fmt.Sprintf("more than %d bytes held in the link at t=%s: a writer keeps writing to a reader that does not read", e.Limit, at)
	}
	return fmt.Sprintf("event budget of %d reached at t=%s", e.Limit, at)
}

// Is makes errors.Is(err, ErrBudget) true.
func (e *BudgetError) Is(target error) bool { return target == ErrBudget }

// agentQueued is what waits in the agent side: its timed actions, and
// the commands the guest runs itself (a freeze) waiting for the parser.
// The simulated agent is asked directly (overBudget runs after every
// action, and a call through agentEnd costs more than the answer).
func (w *World) agentQueued() int {
	if w.sp == nil {
		return w.proc.Pending()
	}
	return w.sp.Pending() + len(w.sp.internal)
}

// overBudget reports which budget, if any, the run has gone past. It runs
// after every action, so it reads plain fields (the link's counts through
// h2a and a2h, the event limit resolved in New).
func (w *World) overBudget() *BudgetError {
	switch {
	case w.evSeq >= w.maxEvents || w.actions >= w.maxEvents:
		return &BudgetError{What: "events", Limit: w.maxEvents, At: w.now}
	case w.q.len()+w.agentQueued() > MaxPending:
		return &BudgetError{What: "pending", Limit: MaxPending, At: w.now}
	case w.h2a.Held()+w.h2a.InFlight() > MaxHeldBytes || w.a2h.Held()+w.a2h.InFlight() > MaxHeldBytes:
		return &BudgetError{What: "held", Limit: MaxHeldBytes, At: w.now}
	}
	return nil
}
