package client

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"
)

// pythonQGA models QEMU's python qemu-ga-client on qemu.qmp (docs/protocol.md
// §4, docs/strategies.md; QEMU python/qemu/utils/qemu_ga_client.py and python/qemu/qmp): before
// every command but ping it pings with a timeout (3 s, or 60 s before
// guest-fsfreeze-freeze; "Agent seems not alive"), then sends guest-sync
// with one random 32-bit id until the result matches; the timeout set for
// the ping stays for the sync and the command. qemu.qmp gives every request
// an id ("__qmp#00000", counting from 0) and routes replies by it: a reply
// nobody waits for is dropped ("Unknown ID ..., message dropped."), but an
// ERROR reply without an id is taken for the server's parse failure and
// ends the session, as does a line that is no JSON object. qemu-ga answers
// a lexical error with such an id-less error, so another tool's 0xFF on the
// channel kills this client.
type pythonQGA struct {
	base
	rng         *rand.Rand
	syncTimeout time.Duration
	timeout     time.Duration // 0: the timeout of the sync that came before
	nextID      int
	dead        bool
	req         *Request
	phase       int // 1 ping, 2 sync, 3 command
	uid         uint32
	waitID      string // qmp id of the request on the wire
}

const (
	pyPing = iota + 1
	pySync
	pyCommand
)

// The texts a qemu-ga-client user sees: the last line of the traceback
// (Python 3.11, as in Debian 12).
const (
	pyNotAlive    = "OSError: Agent seems not alive"
	pyTimeout     = "TimeoutError"
	pyInterrupted = "qemu.qmp.qmp_client.ExecInterruptedError: Disconnected"
	pyStateError  = "qemu.qmp.protocol.StateError: QMPClient is disconnecting. Call disconnect() to return to IDLE state."
)

// pyExecuteError is ExecuteError's text: the error's desc.
func pyExecuteError(line []byte) string {
	_, desc, _ := errorOf(line)
	return "qemu.qmp.qmp_client.ExecuteError: " + desc
}

func newPythonQGA(opts Options, rng *rand.Rand) Client {
	c := &pythonQGA{base: base{name: "python-qga"}, rng: rng,
		syncTimeout: orDefault(opts.SyncTimeout, 3*time.Second), timeout: opts.Timeout}
	c.setStatus(Disconnected, "not connected")
	return c
}

// Connected is a new qemu-ga-client session: a fresh QMPClient, ids from 0.
func (c *pythonQGA) Connected(now int64) {
	c.connected, c.dead, c.nextID = true, false, 0
	c.dropBuffered("new connection")
	c.setStatus(Idle, "connected without negotiation (qemu-ga sends no greeting)")
}

// Closed: the reader sees EOF and qemu.qmp disconnects; the call in flight
// is interrupted and the session is over.
func (c *pythonQGA) Closed(now int64, reason string) {
	c.connected = false
	c.dead = true
	if c.req != nil {
		c.end(Outcome{Seq: c.req.Seq, Kind: Failed, Detail: pyInterrupted})
	}
	c.setStatus(Disconnected, "connection closed ("+reason+"): the session is over")
}

func (c *pythonQGA) Issue(now int64, req Request) {
	switch {
	case c.dead, !c.connected:
		c.outcome(Outcome{Seq: req.Seq, Kind: Failed, Detail: pyStateError})
		return
	case c.req != nil:
		c.outcome(Outcome{Seq: req.Seq, Kind: Failed, Detail: "another command is in progress"})
		return
	}
	c.req = &req
	if req.Execute == "guest-ping" {
		c.send(now, pyCommand, req.Execute, req.Arguments, req.Seq, c.cmdTimeout(req))
		return
	}
	c.send(now, pyPing, "guest-ping", nil, 0, c.syncTimeoutFor(req))
}

// syncTimeoutFor is the socket timeout sync uses: 3 s, or 60 s before
// guest-fsfreeze-freeze, as the python client sets it.
func (c *pythonQGA) syncTimeoutFor(req Request) time.Duration {
	if req.Execute == "guest-fsfreeze-freeze" && c.syncTimeout == 3*time.Second {
		return 60 * time.Second
	}
	return c.syncTimeout
}

// cmdTimeout is the command's timeout: the caller's, the configured one, or
// the one the ping set (settimeout stays for every later call).
func (c *pythonQGA) cmdTimeout(req Request) time.Duration {
	return orDefault(req.Timeout, orDefault(c.timeout, c.syncTimeoutFor(req)))
}

func (c *pythonQGA) send(now int64, phase int, execute string, args []byte, seq int, timeout time.Duration) {
	c.waitID = fmt.Sprintf("__qmp#%05d", c.nextID)
	c.nextID++
	var raw json.RawMessage
	if len(args) > 0 {
		raw = args
	}
	// Python's dict keeps insertion order: execute, arguments, id.
	data := []byte(`{"execute":` + strconv.Quote(execute))
	if raw != nil {
		data = append(data, `,"arguments":`...)
		data = append(data, raw...)
	}
	data = append(data, `,"id":"`+c.waitID+`"}`...)
	// Every call is its own asyncio.wait_for with the timeout in force.
	c.deadline = deadlineAfter(now, timeout)
	c.phase = phase
	c.write(data, seq, execute+" ("+c.waitID+")")
	switch phase {
	case pyPing:
		c.setStatus(WaitSyncID, "guest-ping first: is the agent alive?")
	case pySync:
		c.setStatus(WaitSyncID, "guest-sync until the result is "+strconv.FormatUint(uint64(c.uid), 10))
	default:
		c.setStatus(InSync, c.req.Execute+" sent as "+c.waitID+"; replies are routed by id")
	}
}

func (c *pythonQGA) Receive(now int64, data []byte) {
	c.in.add(data)
	if c.dead {
		c.dropBuffered("the session is over: nothing reads")
		return
	}
	for !c.dead {
		line, from, to, ok := c.in.line()
		if !ok {
			return
		}
		c.process(now, line, from, to)
	}
}

func (c *pythonQGA) process(now int64, line []byte, from, to int64) {
	var v any
	if err := json.Unmarshal(line, &v); err != nil {
		c.die(from, to, "DeserializationError: Failed to deserialize QMP message.")
		return
	}
	m, ok := v.(map[string]any)
	if !ok {
		c.die(from, to, "UnexpectedTypeError: QMP message is not a JSON object.")
		return
	}
	if _, ev := m["event"]; ev {
		c.discard(from, to, "an event")
		return
	}
	rawID, hasID := m["id"]
	id, _ := rawID.(string)
	_, isErr := m["error"]
	if c.req == nil || !hasID || id != c.waitID {
		if isErr && !hasID {
			c.die(from, to, "ServerParseError: Server sent an error response without an ID, but there are no ID-less executions pending. Assuming this is a server parser failure.")
			return
		}
		c.discard(from, to, fmt.Sprintf("Unknown ID '%v', message dropped.", pyIDRepr(rawID, hasID)))
		return
	}
	switch c.phase {
	case pyPing:
		if isErr {
			c.end(Outcome{Seq: c.req.Seq, Kind: Failed, Detail: pyExecuteError(line)})
			return
		}
		c.uid = c.rng.Uint32()
		c.send(now, pySync, "guest-sync", []byte(`{"id":`+strconv.FormatUint(uint64(c.uid), 10)+`}`), 0, c.syncTimeoutFor(*c.req))
	case pySync:
		if isErr {
			// qemu.qmp raises ExecuteError for an error reply with our id.
			c.end(Outcome{Seq: c.req.Seq, Kind: Failed, Detail: pyExecuteError(line)})
			return
		}
		var ret uint64
		if json.Unmarshal(mustRaw(m["return"]), &ret) == nil && ret == uint64(c.uid) {
			c.send(now, pyCommand, c.req.Execute, c.req.Arguments, c.req.Seq, c.cmdTimeout(*c.req))
			return
		}
		c.send(now, pySync, "guest-sync", []byte(`{"id":`+strconv.FormatUint(uint64(c.uid), 10)+`}`), 0, c.syncTimeoutFor(*c.req))
	default:
		o := replyOutcome(c.req.Seq, line, from, to)
		if o.Kind == ErrorReply {
			o.Detail = pyExecuteError(line)
		}
		c.end(o)
	}
}

// pyIDRepr is how Python prints the id in "Unknown ID '...'": None when absent.
func pyIDRepr(v any, present bool) any {
	if !present || v == nil {
		return "None"
	}
	return v
}

func mustRaw(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}

func (c *pythonQGA) end(o Outcome) {
	c.outcome(o)
	c.req, c.deadline, c.phase, c.waitID = nil, 0, 0, ""
	if !c.dead && c.connected {
		c.setStatus(Idle, "waiting for the next command")
	}
}

// die ends the session: the reader's exception makes qemu.qmp disconnect,
// the call in flight is interrupted, and the socket closes.
func (c *pythonQGA) die(from, to int64, why string) {
	c.dead = true
	c.discard(from, to, why)
	c.dropBuffered("unread when the session ended: closed with the socket")
	if c.req != nil {
		c.end(Outcome{Seq: c.req.Seq, Kind: Failed, Detail: pyInterrupted})
	}
	c.out.Close = true
	c.setStatus(Poisoned, "session ended: "+why)
}

func (c *pythonQGA) Tick(now int64) {
	if c.req == nil || c.deadline == 0 || now < c.deadline {
		return
	}
	if c.phase == pyPing {
		c.end(Outcome{Seq: c.req.Seq, Kind: TimedOut, Detail: pyNotAlive})
		return
	}
	c.end(Outcome{Seq: c.req.Seq, Kind: TimedOut, Detail: pyTimeout})
}
