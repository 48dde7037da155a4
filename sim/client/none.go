package client

import (
	"math/rand/v2"
	"strconv"
	"time"
)

// none writes the command and takes the next line it reads as the reply, as
// the cloudpods Go client does (JSON with no newline, no 0xFF, no sync, a
// bufio.Scanner on the socket). Lines that arrive while nobody waits stay in
// the buffer for the next caller: that is how it hands a stale reply to the
// wrong caller.
type none struct {
	base
	timeout time.Duration
	cur     *Request
}

func newNone(opts Options, _ *rand.Rand) Client {
	c := &none{base: base{name: "none"}, timeout: orDefault(opts.Timeout, 5*time.Second)}
	c.setStatus(Disconnected, "no channel yet")
	return c
}

func (c *none) Connected(now int64) {
	c.connected = true
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
	if !c.connected {
		c.outcome(Outcome{Seq: req.Seq, Kind: Failed, Detail: "not connected"})
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
	c.deliver()
}

func (c *none) deliver() {
	if c.cur == nil {
		if c.in.pending() > 0 {
			c.setStatus(Idle, strconv.Itoa(c.in.pending())+" bytes wait unread for the next caller")
		}
		return
	}
	line, from, to, ok := c.in.line()
	if !ok {
		return
	}
	c.outcome(replyOutcome(c.cur.Seq, line, from, to))
	c.cur, c.deadline = nil, 0
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
