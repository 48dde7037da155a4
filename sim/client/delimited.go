package client

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/qgasim/qgasim/sim/vtime"
)

// delimited is the way qemu-ga's schema documents: write a byte that flushes
// the agent's parser (0xFF), then guest-sync-delimited with a random id
// (63 bits: qemu-ga's id is an int64); throw away everything up to the 0xFF sentinel the agent puts before
// that reply, reset the reply parser there, accept only the matching id (a
// wrong one means: wait for the next sentinel), resync after every timeout,
// then send the command and take the next line. A line that starts with the
// sentinel is never a command's reply, so it is skipped.
type delimited struct {
	base
	rng         *rand.Rand
	flush       byte
	syncOnce    bool
	timeout     time.Duration
	syncTimeout time.Duration
	needSync    bool
	req         *Request
	reqDeadline int64 // the caller's deadline, over all sync attempts
	syncID      int64
	syncIDText  string // syncID in decimal, for the label and the status
	attempts    int
}

func newDelimited(opts Options, rng *rand.Rand) Client {
	flush := opts.FlushByte
	if flush == 0 {
		flush = 0xFF
	}
	c := &delimited{base: base{name: "delimited"}, rng: rng, flush: flush, syncOnce: opts.SyncOnce,
		timeout:     orDefault(opts.Timeout, 10*time.Second),
		syncTimeout: orDefault(opts.SyncTimeout, 2*time.Second), needSync: true}
	c.setStatus(Disconnected, "not connected")
	return c
}

func (c *delimited) Connected(now int64) {
	c.connected, c.needSync = true, true
	c.dropBuffered("new connection")
	c.setStatus(Idle, "connected; will flush and sync before the first command")
}

func (c *delimited) Closed(now int64, reason string) {
	c.connected, c.needSync = false, true
	if c.req != nil {
		c.end(Outcome{Seq: c.req.Seq, Kind: Failed, Detail: "connection closed: " + reason})
	}
	c.setStatus(Disconnected, "connection closed: "+reason)
}

func (c *delimited) Issue(now int64, req Request) {
	switch {
	case !c.connected:
		c.outcome(Outcome{Seq: req.Seq, Kind: Failed, Detail: "not connected"})
		return
	case c.req != nil:
		c.outcome(Outcome{Seq: req.Seq, Kind: Failed, Detail: "another command is in progress"})
		return
	}
	c.req = &req
	c.attempts = 0
	c.reqDeadline = deadlineAfter(now, orDefault(req.Timeout, c.timeout))
	if c.needSync || !c.syncOnce {
		c.sync(now)
		return
	}
	c.sendCommand(now)
}

func (c *delimited) sync(now int64) {
	c.attempts++
	c.syncID = c.rng.Int64() // 63 random bits: qemu-ga's id is an int64
	// Whatever is buffered came before this sync and is stale.
	c.dropBuffered("buffered before the sync: stale")
	c.syncIDText = strconv.FormatInt(c.syncID, 10)
	// One array for the whole write: the flush byte, the command, the id.
	data := make([]byte, 0, 1+len(syncDelimited)+len(c.syncIDText)+len("}}\n"))
	data = append(append(append(append(data, c.flush), syncDelimited...), c.syncIDText...), "}}\n"...)
	c.write(data, 0, "flush + guest-sync-delimited id="+c.syncIDText)
	c.deadline = c.timerFor(vtime.Add(now, c.syncTimeout))
	c.setStatus(WaitSentinel, "sync attempt "+strconv.Itoa(c.attempts)+": discarding everything until the 0xFF sentinel")
}

// syncDelimited is the sync command up to its id.
const syncDelimited = `{"execute":"guest-sync-delimited","arguments":{"id":`

// timerFor caps a timer at the caller's deadline.
func (c *delimited) timerFor(t int64) int64 {
	if c.reqDeadline != 0 && c.reqDeadline < t {
		return c.reqDeadline
	}
	return t
}

func (c *delimited) sendCommand(now int64) {
	c.needSync = false
	c.write(append(encodeCommand(c.req.Execute, c.req.Arguments), '\n'), c.req.Seq, c.req.Execute+" #"+strconv.Itoa(c.req.Seq))
	c.deadline = c.reqDeadline
	c.setStatus(InSync, "in sync: "+c.req.Execute+" sent; the next line is its reply")
}

func (c *delimited) Receive(now int64, data []byte) {
	c.in.add(data)
	for c.req != nil && c.step(now) {
	}
	if c.req == nil && c.in.pending() > 0 && c.status.State == Idle {
		c.setStatus(Idle, strconv.Itoa(c.in.pending())+" unexpected bytes buffered; the next sync throws them away")
	}
}

// step makes one move on the buffered bytes; it reports whether it made progress.
func (c *delimited) step(now int64) bool {
	switch c.status.State {
	case WaitSentinel:
		from := c.in.start
		found, n := c.in.discardThrough(0xFF)
		if !found {
			c.discard(from, from+int64(n), "waiting for the 0xFF sentinel")
			return false
		}
		c.discard(from, from+int64(n)-1, "before the 0xFF sentinel")
		c.setStatus(WaitSyncID, "sentinel seen: parser reset; waiting for return == "+c.syncIDText)
		return true
	case WaitSyncID:
		// A newer sentinel before the end of the line resets the parser again.
		nl := bytes.IndexByte(c.in.buf, '\n')
		if ff := bytes.IndexByte(c.in.buf, 0xFF); ff >= 0 && (nl < 0 || ff < nl) {
			c.discard(c.in.start, c.in.start+int64(ff), "cut short by a newer sentinel")
			c.in.consume(ff + 1)
			return true
		}
		line, from, to, ok := c.in.line()
		if !ok {
			return false
		}
		if ret, ok := intReturn(line); ok && ret == c.syncID {
			c.sendCommand(now)
			return true
		}
		c.discard(from, to, "a sentinel line without our id")
		c.setStatus(WaitSentinel, "a sentinel line without our id: discarding until the next 0xFF")
		return true
	case InSync:
		line, from, to, ok := c.in.line()
		if !ok {
			return false
		}
		if len(line) > 0 && line[0] == 0xFF {
			c.discard(from, to, "a sync reply, never a command's")
			return true
		}
		if !isObject(line) {
			c.needSync = true
			c.end(Outcome{Seq: c.req.Seq, Kind: Failed, Detail: "garbled reply: " + strconv.Quote(string(line))})
			return false
		}
		c.end(replyOutcome(c.req.Seq, line, from, to))
		return false
	}
	return false
}

// intReturn reads the integer "return" of a sync reply. The agent's own
// form, {"return": N}, is read directly; anything else goes through the
// JSON decoder.
func intReturn(line []byte) (int64, bool) {
	if rest, ok := bytes.CutPrefix(line, []byte(`{"return": `)); ok {
		if num, ok := bytes.CutSuffix(rest, []byte("}")); ok {
			if v, err := strconv.ParseInt(string(num), 10, 64); err == nil {
				return v, true
			}
		}
	}
	var m struct {
		Return *int64 `json:"return"`
	}
	if json.Unmarshal(line, &m) != nil || m.Return == nil {
		return 0, false
	}
	return *m.Return, true
}

func (c *delimited) end(o Outcome) {
	c.outcome(o)
	c.req, c.deadline, c.reqDeadline = nil, 0, 0
	why := "in sync"
	if c.needSync {
		why = "will resync before the next command"
	}
	if c.connected {
		c.setStatus(Idle, why)
	}
}

func (c *delimited) Tick(now int64) {
	if c.req == nil || c.deadline == 0 || now < c.deadline {
		return
	}
	if c.reqDeadline != 0 && now >= c.reqDeadline {
		c.needSync = true
		c.end(Outcome{Seq: c.req.Seq, Kind: TimedOut, Detail: "no reply within the caller's timeout"})
		return
	}
	// A sync attempt timed out: flush and sync again with a new id.
	c.sync(now)
}
