// Package model is the terminal UI's view model: everything the panes draw,
// built only from trace events (sim/trace), with no terminal in sight.
//
// The contract. A Model starts empty; Apply folds one event into it, in the
// order the World emitted them. What a pane shows at event k is the fold of
// events 1..k, so rewinding is re-running the deterministic World and
// folding again. Memory is bounded: each byte stream keeps a window of its
// most recent bytes (Limits.StreamBytes), the timeline and the request table
// keep their most recent entries; counters cover the whole run. Live
// snapshots the trace does not carry (the token the agent's lexer is
// building) are set by the caller with SetLive and never change the fold.
package model
