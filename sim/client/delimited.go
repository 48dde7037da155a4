package client

import (
	"bytes"
	"encoding/json"
	"math"
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
	req         *Request // the caller's request in progress (&cur), or nil
	cur         Request
	reqDeadline int64 // the caller's deadline, over all sync attempts
	syncID      int64
	syncLabel   string // the sync write's label, with syncID in decimal
	syncWaitWhy string // the status that waits for syncID
	cmdLabel    string // the command write's label
	cmdWhy      string // the status once the command is sent
	cmdData     []byte // the command's write, made with the first sync, or nil
	attempts    int
	// unexpected is the status text of the last count of unexpected
	// bytes shown, made again only when the count changes.
	unexpected struct {
		n   int
		why string
	}
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
	c.cur, c.cmdLabel, c.cmdData = req, "", nil
	c.req = &c.cur
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
	// The id's two texts, the write's label and the status that waits
	// for it, in one string; the request's first sync makes the
	// command's two texts in it too, and its bytes in the sync's array:
	// a request every few steps, most of them with one sync.
	var idb [20]byte
	id := strconv.AppendInt(idb[:0], c.syncID, 10)
	first := c.cmdLabel == ""
	var tb [256]byte
	t := append(append(append(append(tb[:0], syncLabel...), id...), syncWaitWhy...), id...)
	k, k2 := len(syncLabel)+len(id), len(t)
	var seqLen int
	if first {
		t = append(append(t, c.req.Execute...), " #"...)
		n := len(t)
		t = strconv.AppendInt(t, int64(c.req.Seq), 10)
		seqLen = len(t) - n
		t = append(append(append(t, cmdWhy1...), c.req.Execute...), cmdWhy2...)
	}
	texts := string(t)
	c.syncLabel, c.syncWaitWhy = texts[:k], texts[k:k2]
	if first {
		k3 := k2 + len(c.req.Execute) + len(" #") + seqLen
		c.cmdLabel, c.cmdWhy = texts[k2:k3], texts[k3:]
	}
	// One array for the whole write: the flush byte, the command, the
	// id; and after it, on the first sync, for the command's.
	n := 1 + len(syncDelimited) + len(id) + len("}}\n")
	size := n
	if first {
		size += commandLen(c.req.Execute, c.req.Arguments) + 1
	}
	data := make([]byte, 0, size)
	data = append(append(append(append(data, c.flush), syncDelimited...), id...), "}}\n"...)
	if first {
		cmd := append(appendCommand(data[n:n], c.req.Execute, c.req.Arguments), '\n')
		c.cmdData = cmd[:len(cmd):len(cmd)]
	}
	c.write(data[:n:n], 0, c.syncLabel)
	c.deadline = c.timerFor(vtime.Add(now, c.syncTimeout))
	c.setStatus(WaitSentinel, syncAttemptWhy(c.attempts))
}

// syncDelimited is the sync command up to its id; syncLabel and
// syncWaitWhy are the label of the sync write and the status that waits
// for its reply, each up to the id.
const (
	syncDelimited = `{"execute":"guest-sync-delimited","arguments":{"id":`
	syncLabel     = "flush + guest-sync-delimited id="
	syncWaitWhy   = "sentinel seen: parser reset; waiting for return == "
)

// cmdWhy1 and cmdWhy2 make the status once a command is sent, around its
// name.
const (
	cmdWhy1 = "in sync: "
	cmdWhy2 = " sent; the next line is its reply"
)

// syncAttemptWhys are the statuses of the first sync attempts, made once.
var syncAttemptWhys = func() (w [8]string) {
	for i := range w {
		w[i] = makeSyncAttemptWhy(i + 1)
	}
	return w
}()

// syncAttemptWhy is the status of sync attempt n.
func syncAttemptWhy(n int) string {
	if n >= 1 && n <= len(syncAttemptWhys) {
		return syncAttemptWhys[n-1]
	}
	return makeSyncAttemptWhy(n)
}

func makeSyncAttemptWhy(n int) string {
	return "sync attempt " + strconv.Itoa(n) + ": discarding everything until the 0xFF sentinel"
}

// timerFor caps a timer at the caller's deadline.
func (c *delimited) timerFor(t int64) int64 {
	if c.reqDeadline != 0 && c.reqDeadline < t {
		return c.reqDeadline
	}
	return t
}

func (c *delimited) sendCommand(now int64) {
	c.needSync = false
	if c.cmdLabel == "" {
		// No sync made the texts (a client that syncs once): the label
		// and the status in one string.
		var tb [128]byte
		t := append(append(tb[:0], c.req.Execute...), " #"...)
		t = strconv.AppendInt(t, int64(c.req.Seq), 10)
		k := len(t)
		t = append(append(append(t, cmdWhy1...), c.req.Execute...), cmdWhy2...)
		texts := string(t)
		c.cmdLabel, c.cmdWhy = texts[:k], texts[k:]
	}
	data := c.cmdData
	if data == nil {
		data = append(encodeCommand(c.req.Execute, c.req.Arguments), '\n')
	}
	c.cmdData = nil // each write a fresh array
	c.write(data, c.req.Seq, c.cmdLabel)
	c.deadline = c.reqDeadline
	c.setStatus(InSync, c.cmdWhy)
}

func (c *delimited) Receive(now int64, data []byte) {
	if c.req != nil && c.status.State == WaitSentinel && c.in.pending() == 0 {
		// Most reads of a resync: the bytes before the sentinel are
		// thrown away as they come, never buffered.
		i := bytes.IndexByte(data, 0xFF)
		if i < 0 {
			from := c.in.skip(len(data))
			c.discard(from, from+int64(len(data)), "waiting for the 0xFF sentinel")
			return
		}
		from := c.in.skip(i + 1)
		c.discard(from, from+int64(i), "before the 0xFF sentinel")
		c.setStatus(WaitSyncID, c.syncWaitWhy)
		data = data[i+1:]
	}
	c.in.add(data)
	for c.req != nil && c.step(now) {
	}
	if n := c.in.pending(); c.req == nil && n > 0 && c.status.State == Idle {
		if c.unexpected.n != n || c.unexpected.why == "" {
			c.unexpected.n = n
			c.unexpected.why = strconv.Itoa(n) + " unexpected bytes buffered; the next sync throws them away"
		}
		c.setStatus(Idle, c.unexpected.why)
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
		c.setStatus(WaitSyncID, c.syncWaitWhy)
		return true
	case WaitSyncID:
		// A newer sentinel before the end of the line resets the parser again.
		nl := bytes.IndexByte(c.in.buf, '\n')
		if ff := bytes.IndexByte(c.in.buf, 0xFF); ff >= 0 && (nl < 0 || ff < nl) {
			c.discard(c.in.start, c.in.start+int64(ff), "cut short by a newer sentinel")
			c.in.consume(ff + 1)
			return true
		}
		line, from, to, ok := c.in.peekLine()
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
		line, from, to, ok := c.in.peekLine()
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
		c.end(replyOutcome(c.req.Seq, append([]byte(nil), line...), from, to))
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
			if v, ok := parseInt(num); ok {
				return v, true
			}
		}
		if len(rest) > 0 && (rest[0] == '{' || rest[0] == '[' || rest[0] == '"') {
			// The first member is "return", and not a number: decoding
			// it into an int64 fails, whatever follows (a stale reply).
			return 0, false
		}
	}
	if !mayHaveMember(line, "return") || !validJSON(line) {
		// No member can be "return", or the decoder would fail on
		// the syntax (validJSON is its check, without its decoder).
		return 0, false
	}
	var m struct {
		Return *int64 `json:"return"`
	}
	if json.Unmarshal(line, &m) != nil || m.Return == nil {
		return 0, false
	}
	return *m.Return, true
}

// parseInt is strconv.ParseInt(string(b), 10, 64) without the string:
// an optional '-' and at most 19 digits that fit are read here (a sync
// id has 19 digits more often than not), anything else there.
func parseInt(b []byte) (int64, bool) {
	digits := b
	neg := len(digits) > 0 && digits[0] == '-'
	if neg {
		digits = digits[1:]
	}
	var u uint64 // below 10^19 < 2^64: no overflow
	ok := len(digits) > 0 && len(digits) <= 19
	if ok {
		for _, d := range digits {
			d -= '0' // a byte: anything but a digit is above 9
			if d > 9 {
				ok = false
				break
			}
			u = u*10 + uint64(d)
		}
	}
	switch {
	case ok && !neg && u <= math.MaxInt64:
		return int64(u), true
	case ok && neg && u <= -math.MinInt64:
		return -int64(u), true
	}
	v, err := strconv.ParseInt(string(b), 10, 64)
	return v, err == nil
}

func (c *delimited) end(o Outcome) {
	c.outcome(o)
	c.req, c.deadline, c.reqDeadline = nil, 0, 0
	c.cur = Request{} // keeps nothing of the caller's
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
