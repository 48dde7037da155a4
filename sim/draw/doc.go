// Package draw takes random numbers straight from a PCG: the values
// math/rand/v2's Rand gives from the same source, in the same order and
// with the same number of draws from it, without the Rand in between.
//
// A Rand calls its source through an interface, and its bounded draws
// through a function that is not inlined; the link and its faults draw
// on every read and write of a run, where that was a visible cost. With
// the PCG itself the draw is inlined. The values must be Rand's exactly:
// a run's trace depends on every one of them (draw_test.go compares
// them, bound by bound).
package draw
