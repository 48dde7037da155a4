package link

import (
	"fmt"
	"time"
)

// Dir is a direction of the link.
type Dir uint8

// The two directions.
const (
	H2A Dir = iota // host to agent
	A2H            // agent to host
)

func (d Dir) String() string {
	if d == H2A {
		return "h2a"
	}
	return "a2h"
}

// ParseDir reads "h2a" or "a2h".
func ParseDir(s string) (Dir, error) {
	switch s {
	case "h2a", "host-to-agent":
		return H2A, nil
	case "a2h", "agent-to-host":
		return A2H, nil
	}
	return 0, fmt.Errorf("link: unknown direction %q (valid: h2a, a2h)", s)
}

// Params shape one direction. A zero field takes the transport's default; a
// negative one means zero (no latency, no baud limit, unlimited reads or
// capacity).
type Params struct {
	Latency  time.Duration // one-way delay of every write
	Jitter   time.Duration // extra delay per write, uniform in [0, Jitter)
	Baud     int           // line speed in bits per second, 10 bits per byte
	ReadMax  int           // the reader reads at most this many bytes at once
	Capacity int           // bytes in flight before the writer is held
	// DropWhenFull drops what does not fit instead of holding the writer.
	DropWhenFull bool
	// ReadTrigger wakes the reader of a baud-limited line only when this
	// many bytes are ready, or 4 byte times after the last one of a shorter
	// burst (a 16550's receive FIFO trigger and timeout).
	ReadTrigger int
}

// Config is the link: the transport and the two directions.
type Config struct {
	Transport string // a transport's name; "" means DefaultTransport
	H2A, A2H  Params
}

// Both returns a Config with the same parameters in both directions.
func Both(transport string, p Params) Config { return Config{Transport: transport, H2A: p, A2H: p} }

// resolve fills zero fields from the transport defaults and turns
// negative ones into zero.
func resolve(t Transport, d Dir, p Params) Params {
	def := t.Defaults(d)
	pick := func(v, dv int64) int64 {
		switch {
		case v < 0:
			return 0
		case v == 0:
			return dv
		}
		return v
	}
	p.Latency = time.Duration(pick(int64(p.Latency), int64(def.Latency)))
	p.Jitter = time.Duration(pick(int64(p.Jitter), int64(def.Jitter)))
	p.Baud = int(pick(int64(p.Baud), int64(def.Baud)))
	p.ReadMax = int(pick(int64(p.ReadMax), int64(def.ReadMax)))
	p.Capacity = int(pick(int64(p.Capacity), int64(def.Capacity)))
	p.ReadTrigger = int(pick(int64(p.ReadTrigger), int64(def.ReadTrigger)))
	return p
}

// Validate reports a bad configuration.
func (c Config) Validate() error {
	if _, ok := LookupTransport(c.Transport); !ok {
		return errUnknownTransport(c.Transport)
	}
	return nil
}
