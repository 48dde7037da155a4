// Package ui is qgasim's terminal UI (tview on tcell): it shows both byte
// streams, the agent's parser, the client's resync and the requests of a
// running World, lets a person step, rewind and play it, and inject faults
// by hand.
//
// The contract. The UI depends on the simulation, never the reverse: a
// Runner owns the World and folds its trace events into a view model
// (ui/model); every pane draws the view model and nothing else. Rewinding
// re-runs the deterministic World from the same configuration, with the
// faults injected by hand replayed at the same points, to an earlier event.
// A TracePlayer shows recorded events instead (a trace read back, or a live
// session as it happens); on a live session the fault keys go to the
// session through Options.Live, and nothing else of the session is touched.
// Keys come from one table (Keys) that also draws the key bar and the help
// overlay. All World access happens on the tview event goroutine; the play
// ticker only queues updates. Logs go to the zap logger the caller gives,
// never to the terminal.
package ui
