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
//
// execCmd itself takes no lock (the caller is expected to): callers that run
// at once each write their command at once and each wait for "the next
// line", so they interleave on the channel. Which waiting caller a line goes
// to is whichever goroutine's Scan returns first: a seeded draw among the
// waiters when there are several.
type none struct {
	base
	rng     *rand.Rand
	timeout time.Duration
	maxLine int
	broken  bool      // the Scanner failed: it reads nothing more
	waiters []*waiter // callers waiting for a line, in the order they wrote
}

// waiter is one caller of the none strategy waiting for its line.
type waiter struct {
	req      Request
	deadline int64 // 0: none
}

// The texts a cloudpods caller sees (execCmd's errors).
const (
	noneTooLong = "qga scanner: bufio.Scanner: token too long"
)

func newNone(opts Options, rng *rand.Rand) Client {
	c := &none{base: base{name: "none"}, rng: rng, timeout: orDefault(opts.Timeout, 5*time.Second), maxLine: opts.MaxLine}
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
	for _, w := range c.waiters {
		c.outcome(Outcome{Seq: w.req.Seq, Kind: Failed, Detail: "connection closed: " + reason})
	}
	c.waiters = nil
	c.setTimer()
	c.setStatus(Disconnected, "channel closed: "+reason)
}

// setTimer sets the timer to the earliest deadline of the waiting callers.
func (c *none) setTimer() {
	c.deadline = 0
	for _, w := range c.waiters {
		if w.deadline != 0 && (c.deadline == 0 || w.deadline < c.deadline) {
			c.deadline = w.deadline
		}
	}
}

// take removes waiter i.
func (c *none) take(i int) *waiter {
	w := c.waiters[i]
	c.waiters = append(c.waiters[:i], c.waiters[i+1:]...)
	c.setTimer()
	return w
}

// next picks the waiter the next line goes to: the only one, or, with
// several callers blocked in Scan at once, the one the scheduler happens to
// wake (a seeded draw).
func (c *none) next() int {
	if len(c.waiters) > 1 && c.rng != nil {
		return c.rng.IntN(len(c.waiters))
	}
	return 0
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
	c.waiters = append(c.waiters, &waiter{req: req, deadline: deadlineAfter(now, orDefault(req.Timeout, c.timeout))})
	c.setTimer()
	c.write(encodeCommand(req.Execute, req.Arguments), req.Seq, req.Execute+" #"+strconv.Itoa(req.Seq))
	c.setStatus(InSync, c.waitingText(req.Execute+" sent; takes the next line as its reply"))
	c.deliver()
}

// waitingText adds to a status how many callers wait on the channel at
// once (they take no lock).
func (c *none) waitingText(s string) string {
	if n := len(c.waiters); n > 1 {
		return s + " (" + strconv.Itoa(n) + " callers wait for lines, no lock)"
	}
	return s
}

// afterLine sets the status once a caller is done: idle, or still in use by
// the callers that wait for lines.
func (c *none) afterLine(s string) {
	if n := len(c.waiters); n > 0 {
		c.setStatus(InSync, s+"; "+strconv.Itoa(n)+" caller(s) still wait for a line")
		return
	}
	c.setStatus(Idle, s)
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
	if len(c.waiters) == 0 {
		if c.in.pending() > 0 {
			c.setStatus(Idle, strconv.Itoa(c.in.pending())+" bytes wait unread for the next caller")
		}
		return
	}
	for len(c.waiters) > 0 && c.deliverOne() {
	}
}

// deliverOne hands the next line to a waiting caller; it reports whether
// there was one.
func (c *none) deliverOne() bool {
	if c.maxLine > 0 {
		head := c.in.buf[:min(len(c.in.buf), c.maxLine)]
		if bytes.IndexByte(head, '\n') < 0 && len(c.in.buf) >= c.maxLine {
			// The Scanner's buffer is full and holds no newline: every
			// caller blocked in it fails.
			c.broken = true
			c.dropBuffered("in the Scanner's buffer when it failed")
			for _, w := range c.waiters {
				c.outcome(Outcome{Seq: w.req.Seq, Kind: Failed, Detail: noneTooLong})
			}
			c.waiters = nil
			c.setTimer()
			c.setStatus(Poisoned, "a line over "+strconv.Itoa(c.maxLine)+" bytes stopped the Scanner: every call fails until a new connection")
			return false
		}
	}
	line, from, to, ok := c.in.line()
	if !ok {
		return false
	}
	seq := c.take(c.next()).req.Seq
	var objmap map[string]json.RawMessage
	if err := json.Unmarshal(line, &objmap); err != nil {
		c.discard(from, to, "not a JSON object: the call failed")
		c.outcome(Outcome{Seq: seq, Kind: Failed, Detail: "unmarshal qga res: " + err.Error()})
		c.afterLine("the next line was no JSON object")
		return true
	}
	o := replyOutcome(seq, line, from, to)
	if class, desc, ok := errorOf(line); ok {
		o.Detail = class + ": " + desc // cloudpods' monitor.Error
	}
	c.outcome(o)
	c.afterLine("handed the next line to the caller")
	return true
}

func (c *none) Tick(now int64) {
	timedOut := false
	for i := 0; i < len(c.waiters); {
		if w := c.waiters[i]; w.deadline != 0 && now >= w.deadline {
			c.take(i)
			c.outcome(Outcome{Seq: w.req.Seq, Kind: TimedOut, Detail: "read timeout"})
			timedOut = true
			continue
		}
		i++
	}
	if timedOut {
		c.afterLine("timed out; a late reply will wait for the next caller")
	}
}
