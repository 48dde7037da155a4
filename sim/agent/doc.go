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
// What is simulated: every command of qemu-ga 7.2 on Linux, with results
// taken from a simulated guest whose facts come from Config (guest.go, with
// the defaults of a small Debian VM in defaults.go): network interfaces,
// file systems, disks and their statistics, processors, memory blocks,
// users and accounts, time zone, os-release, the clock (which moves with
// virtual time). The guest's files live behind FS: MemFS in memory, or
// DirFS in a real directory. guest-exec runs built-in programs (programs.go,
// a small sh in shell.go) and configured ones in virtual time. What a
// command changes in the guest (processors, memory blocks, passwords, SSH
// keys, files, a freeze) lasts for the run and across agent restarts.
//
// Beside the core, the parts of qemu-ga that a shell around it needs, as
// pure functions of bytes: its configuration (Options: the key file, -b,
// what -D prints; keyfile.go), os-release as QGA_OS_RELEASE reads it
// (ParseOSRelease) and the state directory's files (LoadPersistent).
//
// How it is checked: the tests run the real qemu-ga 7.2 next to the
// simulated one on the transcripts in testdata/diff (byte for byte, or by
// JSON shape where a result is the machine's own), on seeded fuzzed
// streams, on qemu-ga's -D and on os-release files, and want the same
// (realqga_test.go, diff_test.go, fuzzdiff_test.go, options_test.go). In CI
// (CI=true) a missing qemu-ga fails them. docs/fidelity.md says what was
// learned and what is modelled rather than observed.
//
// A restart (Restart) loses what a new process loses: the parser, the pending
// 0xFF flag, open file handles, exec children. The Persistent state (the
// handle counter and the frozen marker) is kept, as qemu-ga keeps its state
// directory, and so is the guest.
package agent
