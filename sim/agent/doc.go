// Package agent is the simulated qemu-ga 7.2: one agent process as a pure
// state machine.
//
// The contract: Feed(now, bytes) hands the agent one read from its channel at
// virtual time now and returns every message those bytes completed, each with
// the exact bytes the real agent would write for it (or none, for
// guest-shutdown and for the bytes of a message still incomplete). Nothing
// here reads a clock, draws a random number, starts a goroutine or touches a
// socket; the World, the stdio mode and the unix socket mode all drive the
// same core.
//
// What is exact: the JSON lexer, streamer and parser (package qjson), the
// dispatch checks in qemu's order with qemu's texts, the top-level id echoed
// in success and error replies, qemu's key order, the one-shot 0xFF of
// guest-sync-delimited, argument checking as QEMU's QAPI visitor does it
// (including which of several unexpected arguments is named), the command
// list of guest-info, disabled and frozen commands with their reasons.
//
// What is modelled: results that depend on a guest (time, host name, OS,
// files, programs, file systems) come from Config. Commands of qemu-ga 7.2
// that the simulator does not model check their arguments when they take
// none, then answer a GenericError that says so (docs/fidelity.md).
//
// How it is checked: the tests run the real qemu-ga 7.2 next to the
// simulated one on the transcripts in testdata/diff and on seeded fuzzed
// streams, and want the same bytes (realqga_test.go, diff_test.go,
// fuzzdiff_test.go). In CI (CI=true) a missing qemu-ga fails them.
//
// A restart (Restart) loses what a new process loses: the parser, the pending
// 0xFF flag, open file handles, exec children. The Persistent state (the
// handle counter and the frozen marker) is kept, as qemu-ga keeps its state
// directory.
package agent
