// Package heappeak measures the most live heap a piece of work holds at
// once, for tests that bound memory: a reader that keeps every event it
// reads, a parser that keeps a buffer per token, show here as a peak that
// grows with the input, where a bounded one stays flat.
//
// Peak runs the work with the collector set to collect often (GOGC=10), so
// that the heap in use follows what is live and not what awaits
// collection, and samples the heap's live objects every 100 µs. A sample
// can miss a short spike, never a structure kept for the length of the
// work, which is what the tests look for. It is for tests only: it changes
// the process's GC setting while it runs.
package heappeak
