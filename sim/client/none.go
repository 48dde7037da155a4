package client

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"strconv"
	"time"
)

// DefaultMaxLine is the longest line the none strategy reads, its newline
// included: bufio.Scanner's default buffer (bufio.MaxScanTokenSize, 64 KiB).
const DefaultMaxLine = 64 * 1024

// none writes the command and takes the next line it reads as the reply, as
// the cloudpods Go client does (yunionio/cloudpods pkg/hostman/monitor/qga,
// execCmd: JSON with no newline, no 0xFF, no sync, one bufio.Scanner per
// connection). Lines that arrive while nobody waits stay in the buffer for
// the next caller: that is how it hands a stale reply to the wrong caller.
// A line longer than the Scanner's buffer stops the Scanner for good
// ("bufio.Scanner: token too long"): every later call fails at once and
// nothing more is read until a new connection.
type none struct {
	base
	timeout time.Duration
	maxLine int
	broken  bool // the Scanner failed: it reads nothing more
	cur     *Request
}

// The texts a cloudpods caller sees (execCmd's errors).
const (
	noneTooLong = "qga scanner: bufio.Scanner: token too long"
)

func newNone(opts Options, _ *rand.Rand) Client {
	c := &none{base: base{name: "none"}, timeout: orDefault(opts.Timeout, 5*time.Second), maxLine: opts.MaxLine}
	if c.maxLine == 0 {
		c.maxLine = DefaultMaxLine
	}
	c.setStatus(Disconnected, "no channel yet")
	return c
}

// Reading is false once the Scanner has failed: the bytes stay in the
// socket, to be lost with it.
func (c *none) Reading() bool { return !c.broken }

func (c *none) Connected(now int64) {
	c.connected, c.broken = true, false
	c.dropBuffered("new connection")
	c.setStatus(Idle, "connected; nothing is checked, the next line is the reply")
}

func (c *none) Closed(now int64, reason string) {
	c.connected = false
	if c.cur != nil {
		c.outcome(Outcome{Seq: c.cur.Seq, Kind: Failed, Detail: "connection closed: " + reason})
		c.cur, c.deadline = nil, 0
	}
	c.setStatus(Disconnected, "channel closed: "+reason)
}

func (c *none) Issue(now int64, req Request) {
	switch {
	case !c.connected:
		c.outcome(Outcome{Seq: req.Seq, Kind: Failed, Detail: "not connected"})
		return
	case c.broken:
		// The command is written; Scan returns false at once.
		c.write(encodeCommand(req.Execute, req.Arguments), req.Seq, req.Execute+" #"+strconv.Itoa(req.Seq))
		c.outcome(Outcome{Seq: req.Seq, Kind: Failed, Detail: noneTooLong})
		return
	}
	c.cur = &req
	c.deadline = deadlineAfter(now, orDefault(req.Timeout, c.timeout))
	c.write(encodeCommand(req.Execute, req.Arguments), req.Seq, req.Execute+" #"+strconv.Itoa(req.Seq))
	c.setStatus(InSync, req.Execute+" sent; takes the next line as its reply")
	c.deliver()
}

func (c *none) Receive(now int64, data []byte) {
	c.in.add(data)
	if c.broken {
		c.dropBuffered("the Scanner has failed: nothing reads")
		return
	}
	c.deliver()
}

func (c *none) deliver() {
	if c.cur == nil {
		if c.in.pending() > 0 {
			c.setStatus(Idle, strconv.Itoa(c.in.pending())+" bytes wait unread for the next caller")
		}
		return
	}
	if c.maxLine > 0 {
		head := c.in.buf[:min(len(c.in.buf), c.maxLine)]
		if bytes.IndexByte(head, '\n') < 0 && len(c.in.buf) >= c.maxLine {
			// The Scanner's buffer is full and holds no newline.
			c.broken = true
			c.dropBuffered("in the Scanner's buffer when it failed")
			c.outcome(Outcome{Seq: c.cur.Seq, Kind: Failed, Detail: noneTooLong})
			c.cur, c.deadline = nil, 0
			c.setStatus(Poisoned, "a line over "+strconv.Itoa(c.maxLine)+" bytes stopped the Scanner: every call fails until a new connection")
			return
		}
	}
	line, from, to, ok := c.in.line()
	if !ok {
		return
	}
	seq := c.cur.Seq
	c.cur, c.deadline = nil, 0
	// cloudpods unmarshals the line into a map: an object passes (checked
	// without building the map), and so does null; anything else fails
	// with the error json gives.
	if !isObject(line) {
		var objmap map[string]json.RawMessage
		if err := json.Unmarshal(line, &objmap); err != nil {
			c.discard(from, to, "not a JSON object: the call failed")
			c.outcome(Outcome{Seq: seq, Kind: Failed, Detail: "unmarshal qga res: " + err.Error()})
			c.setStatus(Idle, "the next line was no JSON object")
			return
		}
	}
	o := replyOutcome(seq, line, from, to)
	if class, desc, ok := errorOf(line); ok {
		o.Detail = class + ": " + desc // cloudpods' monitor.Error
	}
	c.outcome(o)
	c.setStatus(Idle, "handed the next line to the caller")
}

func (c *none) Tick(now int64) {
	if c.cur == nil || c.deadline == 0 || now < c.deadline {
		return
	}
	c.outcome(Outcome{Seq: c.cur.Seq, Kind: TimedOut, Detail: "read timeout"})
	c.cur, c.deadline = nil, 0
	c.setStatus(Idle, "timed out; a late reply will wait for the next caller")
}
