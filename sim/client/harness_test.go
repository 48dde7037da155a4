package client

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/qgasim/qgasim/internal/golden"
	"github.com/qgasim/qgasim/sim/agent"
)

var update = flag.Bool("update", false, "rewrite the transcript files in testdata")

// harness wires one client straight to one simulated agent with a perfect
// link: bytes arrive at once, replies when the agent writes them. It is a
// test bench for strategies; the World adds transports and faults.
type harness struct {
	now      int64
	a        *agent.Agent
	c        Client
	inbox    []byte        // host bytes the agent has not read
	replies  []timedBytes  // agent bytes on their way to the host
	script   []scriptEntry // what the test does, by time
	log      strings.Builder
	outcomes map[int]Outcome
	mangle   func(b []byte) []byte // optional: change agent bytes on the way
}

type timedBytes struct {
	at   int64
	data []byte
}

type scriptEntry struct {
	at int64
	do func(h *harness)
}

func newHarness(strategy string, opts Options, cfg agent.Config) *harness {
	c, err := New(strategy, opts, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		panic(err)
	}
	h := &harness{a: agent.New(cfg, nil), c: c, outcomes: map[int]Outcome{}}
	return h
}

func (h *harness) at(d time.Duration, do func(h *harness)) {
	h.script = append(h.script, scriptEntry{at: int64(d), do: do})
}

func (h *harness) issue(d time.Duration, seq int, execute, args string) {
	h.at(d, func(h *harness) {
		var a []byte
		if args != "" {
			a = []byte(args)
		}
		h.logf("caller   #%d %s", seq, execute)
		h.c.Issue(h.now, Request{Seq: seq, Execute: execute, Arguments: a})
	})
}

func (h *harness) logf(format string, args ...any) {
	fmt.Fprintf(&h.log, "%8.3f  %s\n", float64(h.now)/1e9, fmt.Sprintf(format, args...))
}

// collect applies what the client asked for.
func (h *harness) collect() {
	act := h.c.Take()
	for _, w := range act.Writes {
		h.logf("host>    %s  [%s]", strconv.Quote(string(w.Data)), w.What)
		h.inbox = append(h.inbox, w.Data...)
	}
	if act.Reopen {
		h.logf("host     reopens the channel")
		h.c.Connected(h.now)
		h.collect()
	}
	if act.Close {
		h.logf("host     closes the channel")
	}
	for _, d := range act.Discarded {
		h.logf("discard  bytes %d..%d (%s)", d.From, d.To, d.Why)
	}
	for _, o := range act.Outcomes {
		h.outcomes[o.Seq] = o
		h.logf("outcome  #%d %s %s%s", o.Seq, o.Kind, strconv.Quote(string(o.Reply)), detail(o.Detail))
	}
	if act.Changed {
		st := h.c.Status()
		h.logf("state    %s: %s", st.State, st.Why)
	}
}

func detail(d string) string {
	if d == "" {
		return ""
	}
	return " (" + d + ")"
}

// run plays the script until the given virtual time.
func (h *harness) run(until time.Duration) string {
	h.c.Connected(0)
	h.collect()
	end := int64(until)
	for {
		next := end + 1
		if len(h.script) > 0 {
			next = min(next, h.script[0].at)
		}
		if len(h.replies) > 0 {
			next = min(next, h.replies[0].at)
		}
		if len(h.inbox) > 0 {
			next = min(next, max(h.now, h.a.BusyUntil()))
		}
		if t, ok := h.c.NextTimer(); ok {
			next = min(next, t)
		}
		if next > end {
			break
		}
		h.now = next
		switch {
		case len(h.script) > 0 && h.script[0].at == next:
			e := h.script[0]
			h.script = h.script[1:]
			e.do(h)
		case len(h.replies) > 0 && h.replies[0].at == next:
			r := h.replies[0]
			h.replies = h.replies[1:]
			h.logf("agent>   %s", strconv.Quote(string(r.data)))
			h.c.Receive(h.now, r.data)
		case len(h.inbox) > 0 && next >= h.a.BusyUntil():
			n := min(len(h.inbox), 4096)
			chunk := append([]byte(nil), h.inbox[:n]...)
			h.inbox = h.inbox[n:]
			for _, rep := range h.a.Feed(h.now, chunk) {
				if rep.Bytes == nil {
					continue
				}
				data := append([]byte(nil), rep.Bytes...)
				if h.mangle != nil {
					data = h.mangle(data)
				}
				h.replies = append(h.replies, timedBytes{at: rep.At, data: data})
			}
		default:
			h.c.Tick(h.now)
		}
		h.collect()
	}
	return h.log.String()
}

// checkTranscript compares a transcript with testdata/NAME.txt (-update rewrites it).
func checkTranscript(t *testing.T, name, got string) {
	t.Helper()
	want, match, err := golden.Check(filepath.Join("testdata", name+".txt"), got, *update)
	if err != nil {
		t.Fatalf("%v\ngot:\n%s", err, got)
	}
	if !match {
		t.Errorf("transcript %s changed (run with -update if on purpose)\ngot:\n%s\nwant:\n%s", name, got, want)
	}
}
