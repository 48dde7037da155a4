package lab

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/qgasim/qgasim/sim"
	"github.com/qgasim/qgasim/sim/agent"
	"github.com/qgasim/qgasim/sim/fault"
	"github.com/qgasim/qgasim/sim/link"
	"github.com/qgasim/qgasim/sim/trace"
)

// Sim plays scripts against the simulator: the project's transport model
// (sim/link) between the script's host connections and the World's own
// agent process (sim.AgentProcess: qemu-ga's read loop, GLib's channel and
// the agent core), in virtual time. It is a small driver of its own because
// a script does what the World's steps do not express: several host
// connections, reads per connection, and an agent paused, stopped and
// started by hand (see docs/lab.md, "what the simulator side lacks"); the
// agent process it drives is the one every scenario runs.
//
// What Sim adds to the link: QEMU's socket chardev serves one client at a
// time; a second client's connect succeeds and its bytes wait in its socket
// until the first one closes (lab 0.14, experiment G). The link models one
// host connection, so Sim keeps the waiting clients.
type Sim struct {
	Transport string
	Seed      uint64
	// ForceTail, when not negative, makes every agent start on isa-serial
	// leave exactly the last ForceTail queued host bytes after the flush
	// (fewer if fewer were queued), in place of the link's seeded choice:
	// the accepted outcomes of a racy experiment are built with it. It
	// needs a seed whose own choice keeps nothing (otherwise OpStart fails
	// with ErrCannotForce) and applies only while a host is connected.
	ForceTail int

	now    int64
	l      *link.Link
	proc   *sim.AgentProcess
	events []trace.Event
	h2a    []byte   // every byte given to the link's host-to-agent direction, by writer offset
	tails  [][]byte // per agent start: the host bytes still queued after the port was opened

	active  string              // the connection the chardev serves, "" for none
	queue   []string            // connected clients waiting for the chardev
	wait    map[string][]byte   // bytes a waiting client wrote
	recv    map[string][]byte   // bytes received by each connection since its read began
	reading string              // the connection the host program is reading, "" for none
	readMax int                 // ...and the most bytes it takes in this read (0: no limit)
	open    map[string]struct{} // connections the host holds open
}

// stopWait is how long OpStop waits for the agent to exit, as the lab's
// control shell does (Ctl.Stop).
const stopWait = 10 * time.Second

// ErrCannotForce says that Sim.ForceTail cannot be applied with this seed:
// its own flush choice kept bytes.
var ErrCannotForce = errors.New("lab: cannot force the flush tail here")

// NewSim starts a simulated guest: the agent is running with its port open
// and no host is connected, as in the real guest after the lab's clean-up.
// files are the guest's files (nil: the agent's defaults).
func NewSim(transport string, seed uint64, files map[string][]byte) (*Sim, error) {
	s := &Sim{Transport: transport, Seed: seed, ForceTail: -1, wait: map[string][]byte{},
		recv: map[string][]byte{}, open: map[string]struct{}{}}
	// Each stream is derived from the seed and its name, as the World does.
	stream := func(name string) *rand.PCG {
		var h uint64 = 14695981039346656037
		for _, c := range []byte(name) {
			h = (h ^ uint64(c)) * 1099511628211
		}
		return rand.NewPCG(seed, h)
	}
	l, err := link.New(link.Config{Transport: transport}, stream("h2a"), stream("a2h"), stream("transport"),
		func(ev trace.Event) { s.events = append(s.events, ev) })
	if err != nil {
		return nil, err
	}
	s.l = l
	s.proc = sim.NewAgentProcess(agent.Config{Files: files}, l, func(ev trace.Event) { s.events = append(s.events, ev) })
	s.proc.Start(0)
	return s, nil
}

// Events are the trace events so far (the link's drops and holds, the
// agent process's reads and replies), for a failure message.
func (s *Sim) Events() []trace.Event { return s.events }

// Connect opens a host connection.
func (s *Sim) Connect(name string) error {
	if _, ok := s.open[name]; ok {
		return fmt.Errorf("connection %q is already open", name)
	}
	s.open[name] = struct{}{}
	if s.active == "" {
		s.active = name
		s.l.HostConnect(s.now)
	} else {
		s.queue = append(s.queue, name)
	}
	s.run(s.now)
	return nil
}

// Write writes on a connection: into the link when the chardev serves it,
// into its socket otherwise.
func (s *Sim) Write(name string, data []byte) error {
	if _, ok := s.open[name]; !ok {
		return fmt.Errorf("connection %q is not open", name)
	}
	if name == s.active {
		s.hostWrite(data)
	} else {
		s.wait[name] = append(s.wait[name], data...)
	}
	s.run(s.now)
	return nil
}

// Read advances virtual time until the connection has received until or
// max bytes, or by d. The host reads the link only inside a read: bytes the
// host program does not read stay in the link (its socket and the queues
// behind it) and count against the transport's capacity.
func (s *Sim) Read(name string, until []byte, max int, d time.Duration) ([]byte, error) {
	if _, ok := s.open[name]; !ok {
		return nil, fmt.Errorf("connection %q is not open", name)
	}
	s.reading, s.readMax = name, max
	defer func() { s.reading, s.readMax = "", 0 }()
	s.recv[name] = nil
	end := s.now + int64(d)
	done := func() bool {
		got := s.recv[name]
		return (until != nil && bytes.Contains(got, until)) || (max > 0 && len(got) >= max)
	}
	for !done() {
		t := s.next()
		if t > end {
			s.run(end)
			break
		}
		s.mustStep(t)
	}
	got := s.recv[name]
	s.recv[name] = nil
	return got, nil
}

// Close closes a connection; the next waiting client is served.
func (s *Sim) Close(name string) error {
	if _, ok := s.open[name]; !ok {
		return fmt.Errorf("connection %q is not open", name)
	}
	delete(s.open, name)
	delete(s.recv, name)
	if name != s.active {
		for i, q := range s.queue {
			if q == name {
				s.queue = append(s.queue[:i], s.queue[i+1:]...)
				break
			}
		}
		delete(s.wait, name)
		return nil
	}
	s.l.HostClose(s.now)
	s.active = ""
	if len(s.queue) > 0 {
		s.active, s.queue = s.queue[0], s.queue[1:]
		s.l.HostConnect(s.now)
		if w := s.wait[s.active]; len(w) > 0 {
			s.hostWrite(w)
		}
		delete(s.wait, s.active)
	}
	s.run(s.now)
	return nil
}

// Sleep advances virtual time by d.
func (s *Sim) Sleep(d time.Duration) { s.run(s.now + int64(d)) }

// Agent acts on the simulated agent process.
func (s *Sim) Agent(op Op) error {
	switch op {
	case OpPause:
		s.proc.Pause()
	case OpResume:
		s.proc.Resume()
	case OpKill:
		if !s.proc.Up() {
			return fmt.Errorf("the agent is not running")
		}
		s.proc.Die(s.now, 0, op.String(), fault.AgentAction{})
	case OpStop, OpTerm:
		if !s.proc.Up() {
			return fmt.Errorf("the agent is not running")
		}
		// The process's own graceful stop: it finishes what it has in
		// hand and exits (at once when idle, lab H2); one holding a reply
		// no host takes lives on (H3).
		if !s.proc.Stop(nil) {
			return fmt.Errorf("the agent ignored SIGTERM (frozen) or is already stopping")
		}
		if op == OpStop {
			// As the lab's control shell, wait for the exit, at most 10 s.
			end := s.now + int64(stopWait)
			for s.proc.Up() {
				t := s.next()
				if t > end {
					return fmt.Errorf("the agent did not stop on SIGTERM within %v: it holds a reply no host takes", stopWait)
				}
				s.mustStep(t)
			}
		}
	case OpStart:
		if s.proc.Up() {
			return fmt.Errorf("the agent is already running")
		}
		before := s.queued()
		s.proc.Start(s.now)
		// With no host connected the tail could not be held in a socket;
		// the link's own choice stands then.
		if s.ForceTail >= 0 && s.Transport == link.ISASerial && s.active != "" {
			if len(s.queued()) > 0 {
				return ErrCannotForce
			}
			tail := before[len(before)-min(s.ForceTail, len(before)):]
			s.l.Add(s.now, link.H2A, tail)
			s.tails = append(s.tails, tail)
		} else {
			s.tails = append(s.tails, s.queued())
		}
	default:
		return fmt.Errorf("lab: %v is not an agent action", op)
	}
	s.run(s.now)
	return nil
}

func (s *Sim) hostWrite(data []byte) {
	s.h2a = append(s.h2a, data...)
	s.l.HostWrite(s.now, data)
}

// queued is the host bytes still in the link towards the agent.
func (s *Sim) queued() []byte {
	var b []byte
	for _, sp := range s.l.Dir(link.H2A).Pending() {
		if sp.Off >= 0 && sp.Off+sp.N <= int64(len(s.h2a)) {
			b = append(b, s.h2a[sp.Off:sp.Off+sp.N]...)
		}
	}
	return b
}

// Tails is, for each agent start of the script, the host bytes that were
// queued for the agent right after it opened its port: on isa-serial, what
// survived the flush (the seeded choice); on virtio-serial, everything the
// host sent while the agent was down.
func (s *Sim) Tails() [][]byte { return s.tails }

// next is the time of the next thing that can happen: the agent process's
// next action (a reply due, a read), the host's next read.
func (s *Sim) next() int64 {
	t := int64(math.MaxInt64)
	if a, ok := s.proc.Next(s.now); ok {
		t = a
	}
	if r, ok := s.l.Dir(link.A2H).NextReady(); ok && s.hostReading() {
		t = min(t, r)
	}
	return max(t, s.now)
}

// run does everything that happens up to and including time end, in time
// order, and leaves the clock at end.
func (s *Sim) run(end int64) {
	s.l.Pump(s.now)
	for t := s.next(); t <= end; t = s.next() {
		s.mustStep(t)
	}
	if end > s.now {
		s.now = end
	}
}

// hostReading: the host program is in a read of the connection the chardev
// serves, and wants more bytes.
func (s *Sim) hostReading() bool {
	return s.active != "" && s.reading == s.active && (s.readMax == 0 || len(s.recv[s.active]) < s.readMax)
}

// mustStep steps at t, which next said has something due; a step that does
// nothing would loop for ever, so it is a bug of the driver.
func (s *Sim) mustStep(t int64) {
	if !s.step(t) {
		panic(fmt.Sprintf("lab: simulator stuck at %d ns (transport %s, seed %d)", t, s.Transport, s.Seed))
	}
}

// step does what is due at t; it reports whether anything happened.
func (s *Sim) step(t int64) bool {
	s.now = t
	// The agent process writes the replies due and reads (the World's own
	// read loop), then the host reads.
	did := s.proc.Step(t)
	if s.hostReading() && s.l.CanHostRead() {
		limit := 0
		if s.readMax > 0 {
			limit = s.readMax - len(s.recv[s.active])
		}
		if _, data, _ := s.l.Dir(link.A2H).Read(t, limit); len(data) > 0 {
			s.recv[s.active] = append(s.recv[s.active], data...)
			did = true
		}
	}
	// Bytes a writer could not put into the link move in as reads make
	// room (the World does this after every event).
	s.l.Pump(t)
	return did
}
