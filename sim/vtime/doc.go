// Package vtime is arithmetic on virtual time that cannot overflow.
//
// Virtual times are int64 nanoseconds from the start of a run, and
// durations come from users (a scenario's sleep, a fault's down time, a
// client's timeout). A plain sum of two large values wraps around to a
// negative time, which a scheduler reads as "now": a sleep of 2562047h
// would end at once. The contract: Add never wraps; a sum past the largest
// representable time is Never, a moment no run reaches. Sum is the checked
// form for a loader that must report such a sum instead.
package vtime
