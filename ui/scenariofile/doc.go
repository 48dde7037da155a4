// Package scenariofile adds faults to a scenario file as text: the `w` key
// of the UI saves a run by appending the faults a person injected by hand,
// as timed fault entries, to the file the run started from.
//
// The contract. Append keeps every byte of the original file except the
// seed line (replaced when the run used another seed) and adds a comment
// line at the top; the new faults go at the end of the top-level `faults:`
// list (or a new one), after the existing entries, so that the existing
// faults keep their positions and so their names and random streams. Each
// entry fires once at its virtual time. Append does not check the result:
// the caller loads it with the scenario loader before writing it.
package scenariofile
