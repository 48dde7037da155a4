package main

import (
	"runtime/debug"
)

// liveMemoryLimit is the soft memory limit of the commands that serve
// bytes from a socket or standard input (agent, serve, proxy). What they
// hold is bounded by configuration (a token of at most 64 MiB in the
// agent's parser, at most 64 MiB held in each direction of the link), but
// the collector's default lets the heap grow to twice what is live: a
// client that sent a gigabyte without a newline took serve to 340 MB
// resident for 130 MB live. With the limit the collector works harder
// near it instead (serve: 205-219 MB under the same flood). It is soft: a
// session that truly needs more gets more, at the cost of collections.
const liveMemoryLimit = 192 << 20

// limitLiveMemory sets liveMemoryLimit unless the user chose a limit with
// GOMEMLIMIT, which then stands. It returns what puts the limit back as
// it was (a command run in-process, by a test, leaves no limit behind).
func limitLiveMemory(getenv func(string) string) (restore func()) {
	if getenv("GOMEMLIMIT") != "" {
		return func() {}
	}
	prev := debug.SetMemoryLimit(liveMemoryLimit)
	return func() { debug.SetMemoryLimit(prev) }
}
