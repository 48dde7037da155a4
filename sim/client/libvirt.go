package client

import (
	"encoding/json"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/qgasim/qgasim/sim/vtime"
)

// libvirt models libvirt 9.0's agent client as observed on the wire against a
// real guest (docs/libvirt.md):
//
//   - Each connection has an in-sync flag, false on a new connection. A
//     command syncs first only when the flag is false; only a timeout clears
//     it again.
//   - The sync is {"execute":"guest-sync", "arguments":{"id":<ms clock>}}\n,
//     no 0xFF. Its timeout is 5 s whatever the command's own. During a sync,
//     replies without an unsigned integer return equal to the id are ignored;
//     an unparseable line ends the first sync without a reply and a second
//     sync follows, unless the matching reply came in the same read; an
//     unparseable line during the second sync is fatal.
//   - During an ordinary command nothing is checked: the first return/error
//     line completes it, and in one read the last such line wins.
//   - With no command pending a reply is dropped as delayed.
//   - Anything unparseable outside the first sync (an empty line too), JSON
//     that is not an object, or an object that is no reply, event or greeting
//     poisons the connection: every later call fails at once until the
//     channel is closed and opened again.
type libvirt struct {
	base
	epochMs     int64
	timeout     time.Duration
	syncTimeout time.Duration
	inSync      bool
	poisoned    bool
	msg         *libvirtMsg
}

// libvirtMsg is the one message libvirt waits for: a sync or a command.
type libvirtMsg struct {
	req      Request
	sync     bool
	first    bool
	id       uint64
	finished bool
	rx       []byte
	from, to int64
}

func newLibvirt(opts Options, _ *rand.Rand) Client {
	c := &libvirt{
		base:        base{name: "libvirt"},
		epochMs:     opts.HostEpoch / int64(time.Millisecond),
		timeout:     orDefault(opts.Timeout, 5*time.Second),
		syncTimeout: orDefault(opts.SyncTimeout, 5*time.Second),
	}
	c.setStatus(Disconnected, "not connected: libvirt opens the socket when the guest port opens")
	return c
}

func (c *libvirt) Connected(now int64) {
	c.connected, c.inSync, c.poisoned = true, false, false
	c.dropBuffered("new connection")
	c.setStatus(Idle, "new connection: not in sync; the next command syncs first")
}

func (c *libvirt) Closed(now int64, reason string) {
	if c.msg != nil {
		c.fail(lvDisappeared)
	}
	c.connected, c.inSync, c.poisoned = false, false, false
	c.dropBuffered("unprocessed: lost with the closed agent socket")
	c.setStatus(Disconnected, "agent closed ("+reason+"); calls fail at once until the port opens")
}

func (c *libvirt) Issue(now int64, req Request) {
	switch {
	case !c.connected:
		c.outcome(Outcome{Seq: req.Seq, Kind: Failed, Detail: lvNotConnected})
		return
	case c.poisoned:
		c.outcome(Outcome{Seq: req.Seq, Kind: Failed, Detail: lvPoisoned})
		return
	case c.msg != nil:
		c.outcome(Outcome{Seq: req.Seq, Kind: Failed, Detail: lvBusy})
		return
	case req.Timeout == Async:
		// --async: the deadline has passed before libvirt waits, so the call
		// fails at once, the command unwritten (docs/libvirt.md, 0.15), and the
		// timeout clears the in-sync flag as any timeout does.
		c.inSync = false
		c.outcome(Outcome{Seq: req.Seq, Kind: TimedOut, Detail: lvNotAvailable})
		c.setStatus(Idle, "--async: failed at once, nothing written; not in sync")
		return
	}
	if c.inSync {
		c.sendCommand(now, req)
		return
	}
	c.sendSync(now, req, true)
}

func (c *libvirt) sendSync(now int64, req Request, first bool) {
	id := uint64(c.epochMs + now/int64(time.Millisecond))
	c.msg = &libvirtMsg{req: req, sync: true, first: first, id: id}
	c.deadline = vtime.Add(now, c.syncTimeout)
	data := []byte(`{"execute":"guest-sync", "arguments":{"id":` + strconv.FormatUint(id, 10) + "}}\n")
	c.write(data, 0, "guest-sync id="+strconv.FormatUint(id, 10))
	which := "first"
	if !first {
		which = "second"
	}
	c.setStatus(WaitSyncID, which+" sync for "+req.Execute+": ignores replies until return == "+strconv.FormatUint(id, 10))
}

func (c *libvirt) sendCommand(now int64, req Request) {
	c.msg = &libvirtMsg{req: req}
	c.deadline = deadlineAfter(now, orDefault(req.Timeout, c.timeout))
	c.write(append(encodeCommand(req.Execute, req.Arguments), '\n'), req.Seq, req.Execute+" #"+strconv.Itoa(req.Seq))
	c.setStatus(InSync, req.Execute+" sent; the first return/error line is its answer, unchecked")
}

// Reading is false once an error is set: libvirt's socket watch then asks
// for no input (qemuAgentRegister drops G_IO_IN), so what the agent writes
// stays in the socket and goes with it when libvirt closes the agent.
func (c *libvirt) Reading() bool { return !c.poisoned }

func (c *libvirt) Receive(now int64, data []byte) {
	if c.poisoned {
		// Only a driver that ignores Reading gets here; the bytes count as
		// received and thrown away, so that offsets stay right.
		c.in.add(data)
		c.dropBuffered("received after the error: libvirt reads nothing more")
		return
	}
	c.in.add(data)
	for !c.poisoned {
		line, from, to, ok := c.in.line()
		if !ok {
			break
		}
		c.processLine(line, from, to)
	}
	if c.msg != nil && c.msg.finished {
		c.complete(now)
	}
}

func (c *libvirt) processLine(line []byte, from, to int64) {
	var v any
	if err := json.Unmarshal(line, &v); err != nil {
		if c.msg != nil && c.msg.sync && c.msg.first {
			c.msg.finished = true // "Received garbage on sync"
			c.discard(from, to, "Received garbage on sync")
			return
		}
		c.poison(lvParseError(line))
		return
	}
	obj, ok := v.(map[string]any)
	if !ok {
		c.poison("internal error: Parsed JSON reply '" + string(line) + "' isn't an object")
		return
	}
	_, isQMP := obj["QMP"]
	_, isEvent := obj["event"]
	ret, isReturn := obj["return"]
	_, isError := obj["error"]
	switch {
	case isQMP, isEvent:
		c.discard(from, to, "an event or greeting")
		return
	case isReturn || isError:
		if c.msg == nil {
			c.discard(from, to, "Ignoring delayed reply")
			return
		}
		if c.msg.sync {
			if id, ok := unsignedReturn(line, isReturn, ret); ok && id == c.msg.id {
				c.msg.rx, c.msg.from, c.msg.to, c.msg.finished = line, from, to, true
				return
			}
			c.discard(from, to, "skipped during the sync")
			return
		}
		c.msg.rx, c.msg.from, c.msg.to, c.msg.finished = line, from, to, true
	default:
		c.poison("internal error: Unknown JSON reply '" + string(line) + "'")
	}
}

// unsignedReturn reads "return" as libvirt does: an integer, read as
// unsigned 64-bit (so -7 becomes 2^64-7).
func unsignedReturn(line []byte, isReturn bool, _ any) (uint64, bool) {
	if !isReturn {
		return 0, false
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(line, &m) != nil {
		return 0, false
	}
	s := string(m["return"])
	if u, err := strconv.ParseUint(s, 10, 64); err == nil {
		return u, true
	}
	if i, err := strconv.ParseInt(s, 10, 64); err == nil {
		return uint64(i), true
	}
	return 0, false
}

func (c *libvirt) complete(now int64) {
	m := c.msg
	if m.sync {
		if m.rx != nil {
			c.inSync = true
			c.sendCommand(now, m.req)
			return
		}
		// The first sync ended on garbage: a second one with a new id.
		c.sendSync(now, m.req, false)
		return
	}
	c.msg, c.deadline = nil, 0
	o := replyOutcome(m.req.Seq, m.rx, m.from, m.to)
	if o.Kind == ErrorReply {
		o.Detail = lvAgentError(m.req.Execute, m.rx)
	}
	c.outcome(o)
	c.setStatus(Idle, "in sync; the next command goes out without a sync")
}

func (c *libvirt) poison(text string) {
	c.poisoned = true
	c.inSync = false
	if c.msg != nil {
		c.fail(text)
	}
	c.setStatus(Poisoned, "poisoned by "+text+"; every call fails until the port closes and opens")
}

func (c *libvirt) fail(detail string) {
	c.outcome(Outcome{Seq: c.msg.req.Seq, Kind: Failed, Detail: detail})
	c.msg, c.deadline = nil, 0
}

func (c *libvirt) Tick(now int64) {
	if c.msg == nil || c.deadline == 0 || now < c.deadline {
		return
	}
	seq := c.msg.req.Seq
	wasSync := c.msg.sync
	c.msg, c.deadline = nil, 0
	c.inSync = false
	if wasSync {
		c.outcome(Outcome{Seq: seq, Kind: TimedOut, Detail: lvNotAvailable})
		c.setStatus(Idle, "sync timed out; no second sync after a timeout; not in sync")
		return
	}
	c.outcome(Outcome{Seq: seq, Kind: TimedOut, Detail: lvNotAvailable})
	c.setStatus(Idle, "command timed out: not in sync; the next command syncs first")
}

// PortChanged follows the guest port as libvirt follows VSERPORT_CHANGE: on
// a close it wakes the waiting call ("disappeared while executing command")
// and closes its socket; calls then fail at once with "not connected". On an
// open it connects a new socket, not in sync. An open while a socket exists
// does nothing: the old socket, its in-sync flag and any poison stay, which
// is how a restart hidden by QEMU's throttle goes unnoticed.
func (c *libvirt) PortChanged(now int64, open bool) {
	if !open {
		if !c.connected {
			return
		}
		if c.msg != nil {
			c.fail(lvDisappeared)
		}
		c.connected, c.inSync, c.poisoned = false, false, false
		c.dropBuffered("unprocessed: lost with the closed agent socket")
		c.out.Close = true
		c.setStatus(Disconnected, "guest port closed (VSERPORT_CHANGE): libvirt closed the agent; calls fail with 'not connected'")
		return
	}
	if c.connected {
		return
	}
	c.out.Reopen = true
	c.setStatus(Disconnected, "guest port open (VSERPORT_CHANGE): libvirt opens a new socket")
}
