package client

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"
)

// pythonQGA models QEMU's python qemu-ga-client on qemu.qmp (qga-protocol.md
// §4): before every command but ping it pings with a timeout (3 s, "Agent
// seems not alive"), then sends guest-sync with one random 32-bit id until
// the result matches. qemu.qmp gives every request an id ("__qmp#00001") and
// routes replies by it: an unknown id is dropped, and a reply WITHOUT an id
// ("Server sent a message without an ID") ends the session. qemu-ga's
// replies to lexical errors have no id, and neither do stale replies to
// id-less requests of another client, so either one kills this client.
type pythonQGA struct {
	base
	rng         *rand.Rand
	syncTimeout time.Duration
	timeout     time.Duration
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

func newPythonQGA(opts Options, rng *rand.Rand) Client {
	c := &pythonQGA{base: base{name: "python-qga"}, rng: rng,
		syncTimeout: orDefault(opts.SyncTimeout, 3*time.Second), timeout: orDefault(opts.Timeout, 3*time.Second)}
	c.setStatus(Disconnected, "not connected")
	return c
}

func (c *pythonQGA) Connected(now int64) {
	c.connected = true
	c.dropBuffered("new connection")
	if !c.dead {
		c.setStatus(Idle, "connected without negotiation (qemu-ga sends no greeting)")
	}
}

func (c *pythonQGA) Closed(now int64, reason string) {
	c.connected = false
	if c.req != nil {
		c.end(Outcome{Seq: c.req.Seq, Kind: Failed, Detail: "connection closed: " + reason})
	}
	c.setStatus(Disconnected, "connection closed: "+reason)
}

func (c *pythonQGA) Issue(now int64, req Request) {
	switch {
	case c.dead:
		c.outcome(Outcome{Seq: req.Seq, Kind: Failed, Detail: "the session has ended"})
		return
	case !c.connected:
		c.outcome(Outcome{Seq: req.Seq, Kind: Failed, Detail: "not connected"})
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

func (c *pythonQGA) cmdTimeout(req Request) time.Duration { return orDefault(req.Timeout, c.timeout) }

func (c *pythonQGA) send(now int64, phase int, execute string, args []byte, seq int, timeout time.Duration) {
	c.nextID++
	c.waitID = fmt.Sprintf("__qmp#%05d", c.nextID)
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
	// A guest-sync sent again keeps the deadline of the first: the socket
	// timeout bounds each read, and the loop only goes on while replies come.
	if !(phase == pySync && c.phase == pySync && c.deadline != 0) || timeout < 0 {
		c.deadline = deadlineAfter(now, timeout)
	}
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
	if c.dead {
		return
	}
	c.in.add(data)
	for !c.dead {
		line, from, to, ok := c.in.line()
		if !ok {
			return
		}
		c.process(now, line, from, to)
	}
}

func (c *pythonQGA) process(now int64, line []byte, from, to int64) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(line, &m); err != nil || m == nil {
		c.die("ProtocolError: could not parse the server's message")
		return
	}
	rawID, hasID := m["id"]
	if !hasID {
		c.die("ServerParseError: Server sent a message without an ID, indicating parse failure.")
		return
	}
	var id string
	if json.Unmarshal(rawID, &id) != nil || c.req == nil || id != c.waitID {
		c.discard(from, to, "Unknown ID, response dropped")
		return
	}
	_, isErr := m["error"]
	switch c.phase {
	case pyPing:
		if isErr {
			c.end(Outcome{Seq: c.req.Seq, Kind: Failed, Detail: "ExecuteError: guest-ping failed"})
			return
		}
		c.uid = c.rng.Uint32()
		c.send(now, pySync, "guest-sync", []byte(`{"id":`+strconv.FormatUint(uint64(c.uid), 10)+`}`), 0, c.syncTimeoutFor(*c.req))
	case pySync:
		if isErr {
			// qemu.qmp raises ExecuteError for an error reply with our id.
			c.end(Outcome{Seq: c.req.Seq, Kind: Failed, Detail: "ExecuteError: guest-sync failed"})
			return
		}
		var ret uint64
		if json.Unmarshal(m["return"], &ret) == nil && ret == uint64(c.uid) {
			c.send(now, pyCommand, c.req.Execute, c.req.Arguments, c.req.Seq, c.cmdTimeout(*c.req))
			return
		}
		c.send(now, pySync, "guest-sync", []byte(`{"id":`+strconv.FormatUint(uint64(c.uid), 10)+`}`), 0, c.syncTimeoutFor(*c.req))
	default:
		c.end(replyOutcome(c.req.Seq, line, from, to))
	}
}

func (c *pythonQGA) end(o Outcome) {
	c.outcome(o)
	c.req, c.deadline, c.phase, c.waitID = nil, 0, 0, ""
	if !c.dead && c.connected {
		c.setStatus(Idle, "waiting for the next command")
	}
}

// die ends the session, as the exception ends the python program.
func (c *pythonQGA) die(why string) {
	c.dead = true
	if c.req != nil {
		c.end(Outcome{Seq: c.req.Seq, Kind: Failed, Detail: why})
	}
	c.setStatus(Poisoned, "session ended: "+why)
}

func (c *pythonQGA) Tick(now int64) {
	if c.req == nil || c.deadline == 0 || now < c.deadline {
		return
	}
	if c.phase == pyPing {
		c.end(Outcome{Seq: c.req.Seq, Kind: TimedOut, Detail: "Agent seems not alive"})
		return
	}
	c.end(Outcome{Seq: c.req.Seq, Kind: TimedOut, Detail: "timeout waiting for " + c.waitID})
}
