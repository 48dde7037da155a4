// Package fault holds the fault injectors of the virtual link, one file and
// one test each, created by name from one table (Table, an explicit map of
// constructors).
//
// The contract. A Spec is plain data: a kind, a direction, parameters by
// name and a Trigger. New checks it and builds the fault; an unknown kind
// or parameter is an error that lists the valid names. A fault is a
// link.Stage on its direction: it sees every write on its way through, in
// order, and changes it in place. Faults that act on a process (restart,
// reboot, reconnect, freeze) ask the World through Env, which acts after
// the current write. Every firing is a trace event naming the bytes it
// touched, as offsets in the writer's stream of the direction (lost,
// changed, added). A fault draws only from its own random stream, so adding
// a fault does not change another's draws. Injected faults are events, never
// Go errors.
//
// Triggers (Trigger): at a virtual time, every interval, when the byte at an
// offset passes, when given bytes pass, with a probability per chance, at
// most Max times, inside a time window. A time trigger fires a process or
// timing fault at that moment and arms a byte fault for the next byte that
// passes. A fault with no trigger at all runs continuously on every byte
// (drop, burst, corrupt, duplicate, rechunk, and per write truncate and
// delay) with its own probability parameter. See docs/faults.md.
package fault
