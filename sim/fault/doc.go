// Package fault holds the fault injectors of the virtual link, one file and
// one test each, created by name from one table (Table, an explicit map of
// kind declarations).
//
// The contract. Each kind is declared as data in its own file (Kind: its
// name, default direction, whether it runs with no trigger, and its
// parameters with their types, units, ranges, defaults and docs); Table
// lists the declarations. A Spec is plain data: a kind, a direction, typed
// parameters by name (Params of Value) and a Trigger. Check checks a Spec
// against its kind's declaration without building anything and reports
// each problem with the field it is about, spelled as in a scenario file;
// New checks it once and builds the fault once. A fault is a
// link.Stage on its direction: it sees every write on its way through, in
// order, and changes it in place (after Chunk.Own: the write may be the
// writer's own bytes) or builds a new one; one that acts only when it
// fires and watches no bytes says so (Passive) and is not passed writes. Faults that act on a process (restart,
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
// passes. A fault with no trigger condition runs continuously on every byte
// (drop, burst, corrupt, duplicate, rechunk, and per write truncate and
// delay) with its own probability parameter; it too acts only inside the
// window and up to Max times. A kill that finds the agent down (Env's
// AgentAlive) has no effect and is traced as such. Times a fault adds
// saturate (sim/vtime). See docs/faults.md.
package fault
