// Package trace is the event record of a simulation: the single source of
// truth that the headless report, the oracle, the terminal UI, the JSONL
// trace file and the determinism check all read.
//
// The contract: an Event is plain data with a virtual timestamp T (integer
// nanoseconds since the start of the run) and a sequence number Seq that
// orders events with the same T. A World emits events in (T, Seq) order and
// Seq counts from 1 without gaps. Every kind uses only the fields listed for
// it in docs/trace-format.md; the others stay zero and are left out of the
// JSON. Bytes are written as a readable string (printable ASCII as is, any
// other byte as \xNN, a backslash as \\) so that a trace file can be read by
// eye and still round-trips every byte. Unquote reads that form and the
// rest of qgasim's one byte grammar (\n, \uXXXX, ...), which every byte
// field of a scenario uses too.
//
// Writer and Reader turn events into JSON Lines and back; the same events
// give the same bytes, so two traces can be compared byte for byte.
package trace
