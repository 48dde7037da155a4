package sim

import (
	"bytes"
	"math/rand/v2"
	"time"

	"github.com/qgasim/qgasim/sim/client"
)

// lineClient is the simplest host: it writes each command as one write and
// hands the next line it reads to the oldest request. Test-only; the real
// strategies live in package client.
type lineClient struct {
	rng      *rand.Rand
	buf      []byte
	bufStart int64 // received offset of buf[0]
	recv     int64
	queue    []pending
	acts     client.Actions
	status   client.Status
	timeout  time.Duration
}

type pending struct {
	seq      int
	deadline int64
}

func newLineClient(rng *rand.Rand) client.Client {
	return &lineClient{rng: rng, timeout: time.Second, status: client.Status{State: client.Disconnected, Why: "not yet connected"}}
}

func (c *lineClient) Strategy() string { return "line (test)" }

func (c *lineClient) setState(s client.State, why string) {
	if c.status.State != s || c.status.Why != why {
		c.status = client.Status{State: s, Why: why}
		c.acts.Changed = true
	}
}

func (c *lineClient) Issue(now int64, r client.Request) {
	if c.status.State == client.Disconnected {
		c.acts.Outcomes = append(c.acts.Outcomes, client.Outcome{Seq: r.Seq, Kind: client.Failed, Detail: "not connected"})
		return
	}
	msg := []byte(`{"execute":"` + r.Execute + `"`)
	if r.Arguments != nil {
		msg = append(append(append(msg, `,"arguments":`...), r.Arguments...), '}')
	} else {
		msg = append(msg, '}')
	}
	to := r.Timeout
	if to == 0 {
		to = c.timeout
	}
	c.queue = append(c.queue, pending{seq: r.Seq, deadline: now + int64(to)})
	c.acts.Writes = append(c.acts.Writes, client.Write{Data: msg, Seq: r.Seq, What: r.Execute})
	c.setState(client.InSync, "waiting for a reply")
}

func (c *lineClient) Connected(now int64) { c.setState(client.Idle, "connected") }

func (c *lineClient) Closed(now int64, reason string) {
	for _, p := range c.queue {
		c.acts.Outcomes = append(c.acts.Outcomes, client.Outcome{Seq: p.seq, Kind: client.Failed, Detail: "closed: " + reason})
	}
	c.queue = nil
	c.bufStart += int64(len(c.buf))
	c.buf = c.buf[:0]
	c.setState(client.Disconnected, reason)
}

func (c *lineClient) Receive(now int64, data []byte) {
	c.buf = append(c.buf, data...)
	c.recv += int64(len(data))
	for {
		i := bytes.IndexByte(c.buf, '\n')
		if i < 0 {
			return
		}
		line := append([]byte(nil), c.buf[:i]...)
		from := c.bufStart
		c.buf = c.buf[i+1:]
		c.bufStart += int64(i + 1)
		if len(c.queue) == 0 {
			continue // nobody waits: dropped
		}
		p := c.queue[0]
		c.queue = c.queue[1:]
		kind := client.Returned
		if bytes.Contains(line, []byte(`"error"`)) {
			kind = client.ErrorReply
		}
		c.acts.Outcomes = append(c.acts.Outcomes, client.Outcome{Seq: p.seq, Kind: kind, Reply: line, ReplyFrom: from, ReplyTo: from + int64(i)})
		if len(c.queue) == 0 {
			c.setState(client.Idle, "answered")
		}
	}
}

func (c *lineClient) Tick(now int64) {
	for len(c.queue) > 0 && c.queue[0].deadline <= now {
		c.acts.Outcomes = append(c.acts.Outcomes, client.Outcome{Seq: c.queue[0].seq, Kind: client.TimedOut, Detail: "no reply"})
		c.queue = c.queue[1:]
	}
	if len(c.queue) == 0 && c.status.State == client.InSync {
		c.setState(client.Idle, "timed out")
	}
}

func (c *lineClient) NextTimer() (int64, bool) {
	if len(c.queue) == 0 {
		return 0, false
	}
	return c.queue[0].deadline, true
}

func (c *lineClient) Take() client.Actions {
	a := c.acts
	c.acts = client.Actions{}
	return a
}

func (c *lineClient) Status() client.Status { return c.status }

// Retained: the line client names only the bytes it buffers.
func (c *lineClient) Retained() int64 { return c.bufStart }

// lineSpec plugs the test client into a Config, as a strategy of one's own.
var lineSpec = client.Spec{Strategy: "line (test)", Custom: func(_ client.Options, rng *rand.Rand) client.Client { return newLineClient(rng) }}
