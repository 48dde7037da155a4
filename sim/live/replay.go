package live

import (
	"bytes"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/qgasim/qgasim/sim"
	"github.com/qgasim/qgasim/sim/client"
	"github.com/qgasim/qgasim/sim/fault"
	"github.com/qgasim/qgasim/sim/trace"
)

// A Recording is a trace read back for replay: what the host did, which
// faults fired when, and what the agent answered. It comes from any trace
// (run, serve or proxy); only a live trace says what ran (Session).
type Recording struct {
	Session  *trace.Session
	Host     []HostAction
	Firings  []Firing
	Messages []Message
	End      int64 // virtual time of the end events
}

// HostAction is one thing the host did to the channel.
type HostAction struct {
	T     int64
	Kind  string // "connect", "write" or "close"
	Bytes []byte // a write's bytes
	// ByHost: a close the host made itself (not the transport's, nor a
	// fault's: those happen again by themselves in a replay).
	ByHost bool
}

// Firing is one fault that fired (its events at one time, together), or an
// agent that went away by itself, which a replay reproduces as a restart.
type Firing struct {
	T     int64
	Kind  string // the fault kind; "restart-agent" for an agent that went away
	Name  string // the fault's name ("" for an agent that went away)
	Dir   string
	Until int64 // a process fault's or stall's end, 0 for none
	Lost  int64 // bytes it removed
	// Off is the writer offset (in Dir's stream) of the first byte it
	// removed or changed, -1 for none; Added says it added bytes.
	Off   int64
	Added bool
	Text  string
}

// Message is one message the agent handled and what it wrote for it.
type Message struct {
	T         int64
	Inc       int
	Cmd       string
	OriginOff int64 // h2a writer offset of the host byte that ended it; -1: none
	Reply     []byte
	NoReply   bool // the command writes none (guest-shutdown), or the write failed
	// Cut: a real agent went away while writing Reply, which is the part
	// it wrote (a simulated agent's reply is whole in its event).
	Cut bool
}

// MessageOf is the message an agent.reply event tells of.
func MessageOf(ev trace.Event) Message {
	m := Message{T: ev.T, Inc: ev.Inc, Cmd: ev.Cmd, OriginOff: -1, Cut: strings.HasSuffix(ev.State, " cut")}
	if ev.Origin != nil && ev.Origin.Status == "write" {
		m.OriginOff = ev.Origin.Off
	}
	if ev.N == 0 {
		m.NoReply = true
	} else {
		m.Reply = append([]byte(nil), ev.Bytes...)
	}
	return m
}

// ReadRecording reads a trace for replay.
func ReadRecording(evs []trace.Event) (*Recording, error) {
	var b RecordingBuilder
	for _, ev := range evs {
		b.Add(ev)
	}
	return b.Recording()
}

// A RecordingBuilder reads a trace for replay one event at a time, keeping
// only what a replay needs (the host's actions, the firings, the agent's
// messages), so that reading a long trace costs the memory of those and
// not of every event in it. The zero value is ready to use.
type RecordingBuilder struct {
	r        Recording
	lastFire int   // index in r.Firings of the last fault firing
	started  bool  // a fault has fired: lastFire is set
	awaiting []int // firings of agents that went away, waiting for the next start
}

// Add reads one event, in the order of the trace.
func (b *RecordingBuilder) Add(ev trace.Event) {
	r := &b.r
	switch ev.Kind {
	case trace.KindSession:
		r.Session = ev.Session
	case trace.KindConnect:
		r.Host = append(r.Host, HostAction{T: ev.T, Kind: "connect"})
	case trace.KindClose:
		r.Host = append(r.Host, HostAction{T: ev.T, Kind: "close", ByHost: byHost(ev.Text)})
	case trace.KindHostWrite:
		r.Host = append(r.Host, HostAction{T: ev.T, Kind: "write", Bytes: append([]byte(nil), ev.Bytes...)})
	case trace.KindFault:
		if !b.started || r.Firings[b.lastFire].T != ev.T || r.Firings[b.lastFire].Name != ev.Name {
			r.Firings = append(r.Firings, Firing{T: ev.T, Kind: ev.Fault, Name: ev.Name, Dir: ev.Dir, Off: -1, Text: ev.Text})
			b.lastFire, b.started = len(r.Firings)-1, true
		}
		lastFire := &r.Firings[b.lastFire]
		lastFire.Lost += trace.Total(ev.Lost)
		lastFire.Until = max(lastFire.Until, ev.Until)
		lastFire.Added = lastFire.Added || ev.Added > 0
		for _, spans := range [][]trace.Span{ev.Lost, ev.Changed} {
			for _, sp := range spans {
				if sp.Off >= 0 && (lastFire.Off < 0 || sp.Off < lastFire.Off) {
					lastFire.Off = sp.Off
				}
			}
		}
	case trace.KindAgentRestart:
		if ev.Fault != "" || ev.Text == "guest powered off" || ev.Text == "guest reboot" {
			return // a fault's, or the agent's own doing: it happens again
		}
		// The agent went away by itself: back at its next start (Until is
		// set when that start comes; none comes: it stays 0).
		r.Firings = append(r.Firings, Firing{T: ev.T, Kind: "restart-agent", Dir: "a2h", Off: -1, Text: "the agent went away: " + ev.Text})
		b.awaiting = append(b.awaiting, len(r.Firings)-1)
	case trace.KindAgentStart:
		for _, i := range b.awaiting {
			if ev.T > 0 {
				r.Firings[i].Until = ev.T
			}
		}
		b.awaiting = b.awaiting[:0]
	case trace.KindAgentReply:
		r.Messages = append(r.Messages, MessageOf(ev))
	case trace.KindEnd:
		r.End = max(r.End, ev.T)
	}
}

// Recording is what was read: an error if the trace has nothing to replay.
func (b *RecordingBuilder) Recording() (*Recording, error) {
	if len(b.r.Host) == 0 && len(b.r.Messages) == 0 {
		return nil, fmt.Errorf("the trace has no host writes and no agent replies: nothing to replay")
	}
	r := b.r
	return &r, nil
}

// Until is the part of the recording before virtual time t: the host's
// actions and the fault firings before t, and the messages that bytes the
// host wrote before t ended (whenever the agent answered them), or that
// no host byte ended and came before t. The end stays: a replay runs on
// after t, so that the replies to what was sent before t come.
func (r *Recording) Until(t int64) *Recording {
	out := &Recording{Session: r.Session, End: r.End}
	var written int64 // host bytes written before t
	for _, a := range r.Host {
		if a.T >= t {
			break
		}
		out.Host = append(out.Host, a)
		written += int64(len(a.Bytes))
	}
	for _, f := range r.Firings {
		if f.T < t {
			out.Firings = append(out.Firings, f)
		}
	}
	for _, m := range r.Messages {
		if (m.OriginOff >= 0 && m.OriginOff < written) || (m.OriginOff < 0 && m.T < t) {
			out.Messages = append(out.Messages, m)
		}
	}
	return out
}

// byHost tells a close the host made from one the transport or a fault
// made (the World's texts, docs/trace-format.md).
func byHost(why string) bool {
	switch {
	case why == "agent exited: connection closed":
		return false
	case len(why) > 15 && why[:15] == "host reconnect ":
		return false
	}
	return true
}

// Faults turns the firings into faults that fire at the same times: each
// firing one fault that fires once, with an at: trigger, or an after-bytes
// trigger on the very byte it hit where the trace says which and nothing
// before it shifted that direction's stream (a drop or corrupt on a byte,
// a restart that cut a reply). known are the
// scenario's faults (by name), whose kind, direction and parameters a
// firing keeps; for a fault not among them the parameters are what the
// trace tells (a down time, a stall's length, the bytes a drop removed).
// A byte fault fired by a time trigger hits the first byte that passes at
// or after that time, which may not be the very byte it hit when recorded
// (a trigger on: "return" in the middle of a reply).
func (r *Recording) Faults(known []fault.Spec) []fault.Spec {
	byName := map[string]fault.Spec{}
	for i, f := range known {
		name := f.Name
		if name == "" {
			name = fmt.Sprintf("%s#%d", f.Kind, i+1)
		}
		byName[name] = f
	}
	var out []fault.Spec
	count := map[string]int{}
	// In the replay each firing is its own stage, after those of the
	// firings before it: a stage counts the bytes that reach it, so the
	// bytes earlier stages removed shift its count. Bytes added by a fault
	// make the count unknown; a time trigger is used after them.
	removed := map[string]int64{}
	unsure := map[string]bool{}
	for _, f := range r.Firings {
		spec, ok := byName[f.Name]
		if !ok {
			spec = fault.Spec{Kind: f.Kind, Dir: f.Dir}
		}
		spec.Params = copyParams(spec.Params)
		switch f.Kind {
		case "restart-agent", "reboot", "reconnect-host":
			if f.Until > f.T {
				spec.Params["down"] = fault.Dur(time.Duration(f.Until - f.T))
			} else if f.Kind != "reconnect-host" {
				// It never came back while recorded.
				spec.Params["down"] = fault.Dur(time.Duration(max(r.End-f.T, 0)) + time.Hour)
			}
		case "stall":
			if f.Until > f.T {
				spec.Params["for"] = fault.Dur(time.Duration(f.Until - f.T))
			}
		case "drop", "duplicate":
			if !ok && f.Lost > 0 {
				spec.Params["n"] = fault.Int(f.Lost)
			}
		}
		base := f.Name
		if base == "" {
			base = "agent-went-away"
		}
		count[base]++
		spec.Name = base + "@" + strconv.Itoa(count[base])
		at := time.Duration(f.T)
		spec.Trigger = fault.Trigger{At: &at, Max: 1}
		dir := spec.Dir
		if dir == "" {
			dir = fault.DefaultDir(spec.Kind).String()
		} else if d, ok := dirNames[dir]; ok {
			dir = d
		}
		if b := f.byteHit(); b >= 0 && !unsure[dir] {
			b -= removed[dir]
			spec.Trigger = fault.Trigger{AfterBytes: &b, Max: 1}
		}
		removed[dir] += f.Lost
		unsure[dir] = unsure[dir] || f.Added
		out = append(out, spec)
	}
	return out
}

var dirNames = map[string]string{"to-agent": "h2a", "to-host": "a2h", "host-to-agent": "h2a", "agent-to-host": "a2h"}

// byteHit is the writer offset of the byte a firing hit, when the trace
// tells it exactly; -1 otherwise.
func (f Firing) byteHit() int64 {
	if f.Off < 0 {
		return -1
	}
	switch f.Kind {
	case "drop", "corrupt":
		return f.Off // the first byte removed or changed is the one hit
	case "restart-agent", "reboot":
		if f.Dir == "a2h" && f.Lost > 0 {
			return f.Off - 1 // it died right after this byte: the rest was lost
		}
	}
	return -1
}

func copyParams(m fault.Params) fault.Params {
	out := make(fault.Params, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// Difference is a place where the replayed agent's bytes differ from the
// recorded agent's: a message both handled with other replies, or one
// handled by only one of them.
type Difference struct {
	OriginOff int64    // the host byte that ended the message; -1: none
	Recorded  *Message // nil: only the replay had it
	Replayed  *Message // nil: only the recording had it
}

// What says the difference in a line.
func (d Difference) What() string {
	switch {
	case d.Recorded == nil:
		return fmt.Sprintf("only the simulated agent handled a message ending at host byte %d (%s): %s", d.OriginOff, cmdName(d.Replayed.Cmd), replyText(d.Replayed))
	case d.Replayed == nil:
		return fmt.Sprintf("only the recorded agent handled a message ending at host byte %d (%s): %s", d.OriginOff, cmdName(d.Recorded.Cmd), replyText(d.Recorded))
	}
	return fmt.Sprintf("message ending at host byte %d (%s): recorded %s, simulated %s", d.OriginOff, cmdName(d.Recorded.Cmd),
		replyText(d.Recorded), replyText(d.Replayed))
}

func cmdName(c string) string {
	if c == "" {
		return "not a command"
	}
	return c
}

func replyText(m *Message) string {
	if m.NoReply {
		return "no reply"
	}
	// A difference is a line: a long reply (guest-info's is 3 KB) is
	// quoted by its start; Recorded and Replayed keep it whole.
	if len(m.Reply) > quoteMax {
		return fmt.Sprintf("%s... (%d bytes more)", trace.Quote(m.Reply[:quoteMax]), len(m.Reply)-quoteMax)
	}
	return trace.Quote(m.Reply)
}

// quoteMax is how much of a reply a difference's line quotes.
const quoteMax = 160

// ReplayResult is what a replay found.
type ReplayResult struct {
	Recorded, Replayed []Message
	Differences        []Difference
	Faults             []fault.Spec // the faults it fired
	Virtual            int64
	Events             []trace.Event // the replay's own trace
}

// Replay runs the recorded host's connects, writes and closes, each at its
// recorded virtual time, and the recorded fault firings, against the
// configuration's simulated agent in virtual time, and compares what the
// agent answered with the recording, message by message (a message is
// known by the host byte that ended it). cfg gives the transport, link and
// agent; its client, steps and faults are not used (known are the
// scenario's faults, for their parameters).
func Replay(cfg sim.Config, rec *Recording, known []fault.Spec) (*ReplayResult, error) {
	res := &ReplayResult{Recorded: rec.Messages, Faults: rec.Faults(known)}
	cfg.Client, cfg.Steps, cfg.ExternalAgent = client.Spec{}, nil, nil
	cfg.Faults = res.Faults
	cfg.Duration = time.Duration(math.MaxInt64)
	cfg.Host = &sim.ExternalHost{Deliver: func(int64, []byte) {}}
	w, err := sim.New(cfg)
	if err != nil {
		return nil, err
	}
	w.RunUntil(0)
	for _, a := range rec.Host {
		w.RunUntil(a.T)
		switch a.Kind {
		case "connect":
			if !w.HostOpen() {
				_ = w.HostConnect() // refused as when recorded, or not: the messages tell
			}
		case "write":
			w.HostWrite(a.Bytes)
		case "close":
			if a.ByHost {
				w.HostClose("the client closed the connection")
			}
		}
	}
	w.RunUntil(max(rec.End, w.Now()))
	w.Stop()
	res.Virtual = w.Now()
	res.Events = w.Trace()
	for _, ev := range res.Events {
		if ev.Kind == trace.KindAgentReply {
			res.Replayed = append(res.Replayed, MessageOf(ev))
		}
	}
	res.Differences = Compare(rec.Messages, res.Replayed)
	return res, nil
}

// Compare lines up two runs' messages by the host byte that ended each (in
// order for those that no host byte ended) and lists where they differ.
func Compare(recorded, replayed []Message) []Difference {
	type key struct {
		off int64
		k   int // the k-th message with this offset (no host byte: all share -1)
	}
	index := func(ms []Message) (map[key]int, []key) {
		m := map[key]int{}
		var order []key
		seen := map[int64]int{}
		for i, msg := range ms {
			k := key{msg.OriginOff, seen[msg.OriginOff]}
			seen[msg.OriginOff]++
			m[k] = i
			order = append(order, k)
		}
		return m, order
	}
	ri, rorder := index(recorded)
	pi, porder := index(replayed)
	var diffs []Difference
	for _, k := range rorder {
		a := &recorded[ri[k]]
		j, ok := pi[k]
		if !ok {
			diffs = append(diffs, Difference{OriginOff: k.off, Recorded: a})
			continue
		}
		b := &replayed[j]
		if !sameReply(a, b) {
			diffs = append(diffs, Difference{OriginOff: k.off, Recorded: a, Replayed: b})
		}
	}
	for _, k := range porder {
		if _, ok := ri[k]; !ok {
			diffs = append(diffs, Difference{OriginOff: k.off, Replayed: &replayed[pi[k]]})
		}
	}
	sort.SliceStable(diffs, func(i, j int) bool { return diffTime(diffs[i]) < diffTime(diffs[j]) })
	return diffs
}

// sameReply: the same reply, or for one a real agent was cut off writing,
// the start of the other (the rest was never written).
func sameReply(a, b *Message) bool {
	switch {
	case a.NoReply != b.NoReply:
		return false
	case a.Cut && !b.Cut:
		return bytes.HasPrefix(b.Reply, a.Reply)
	case b.Cut && !a.Cut:
		return bytes.HasPrefix(a.Reply, b.Reply)
	}
	return bytes.Equal(a.Reply, b.Reply)
}

func diffTime(d Difference) int64 {
	if d.Recorded != nil {
		return d.Recorded.T
	}
	return d.Replayed.T
}
