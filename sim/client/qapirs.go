package client

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"math/rand/v2"
	"strconv"
	"time"
)

// qapiRS models vmtest's guest agent client (danobi/vmtest src/qga.rs,
// QgaWrapper) on the qapi-rs crate (arcnmx/qapi-rs qapi/src/lib.rs, Qga):
//
//   - The handshake, before the first command: connect, set a 5 s read
//     timeout, guest_sync with a random id in 1..9999 (gen_range(1..10_000)),
//     which writes {"execute":"guest-sync","arguments":{"id":N}} and reads
//     exactly one line: a return equal to N is success, any other return is
//     "guest-sync handshake failed", and an error reply, a line that does not
//     decode, a read timeout or a dead connection are errors too. On any of
//     them: sleep 1 s, drop the connection and try again on a new one, until
//     the handshake deadline (80 s; "Timed out waiting for QGA connection").
//     qapi-rs's own examples (and the first draft of vmtest's retry loop,
//     danobi/vmtest#27) use the address of the stream as the id instead, the
//     same on every try: Options.SyncID fixes the id to model that.
//   - Every command after it: write the command, read exactly one line and
//     decode it; no sync, no id. A reply that came late is the next
//     command's answer.
//   - Each call reads through a new BufReader (Qga::from_stream), so bytes
//     read past the end of the line are dropped with it.
type qapiRS struct {
	base
	rng         *rand.Rand
	timeout     time.Duration // the socket's read timeout
	handshake   time.Duration // how long the connect-and-sync loop tries
	fixedID     int
	ready       bool
	failed      bool
	req         *Request
	waiting     bool  // a read is pending
	syncing     bool  // the pending read is the handshake's
	syncID      int   // the handshake's id
	handshakeBy int64 // the loop's deadline
	retryAt     int64 // the 1 s sleep before the next try; 0: none
	connecting  bool  // a new connection was asked for and is not open yet
	attempts    int
}

// The texts vmtest shows (anyhow's chain, joined with ": ").
const (
	qrEAGAIN   = "Resource temporarily unavailable (os error 11)"
	qrReset    = "Connection reset by peer (os error 104)"
	qrTimedOut = "Failed to connect QGA: Timed out waiting for QGA connection"
)

func newQapiRS(opts Options, rng *rand.Rand) Client {
	c := &qapiRS{base: base{name: "qapi-rs"}, rng: rng,
		timeout:   orDefault(opts.Timeout, 5*time.Second),
		handshake: orDefault(opts.SyncTimeout, 80*time.Second),
		fixedID:   opts.SyncID}
	c.setStatus(Disconnected, "not connected")
	return c
}

// Reading is true only while a call reads its line: between calls, and
// while vmtest sleeps between handshake tries, the bytes stay in the
// socket (and go with it when the connection is dropped).
func (c *qapiRS) Reading() bool { return c.waiting }

func (c *qapiRS) NextTimer() (int64, bool) {
	if c.retryAt != 0 {
		return c.retryAt, true
	}
	return c.deadline, c.deadline != 0
}

func (c *qapiRS) Connected(now int64) {
	c.connected, c.connecting = true, false
	c.dropBuffered("new connection")
	if c.req != nil && !c.ready && !c.failed {
		c.sync(now)
		return
	}
	c.setStatus(Idle, "connected; the first command does the guest-sync handshake")
}

func (c *qapiRS) Closed(now int64, reason string) {
	c.connected = false
	c.dropBuffered("the connection closed")
	if c.waiting {
		// The read fails (the peer went away with our request unread).
		c.readFailed(now, qrReset)
	}
	if !c.waiting && c.retryAt == 0 && c.req == nil {
		c.setStatus(Disconnected, "connection closed: "+reason)
	}
}

func (c *qapiRS) Issue(now int64, req Request) {
	switch {
	case c.failed:
		c.outcome(Outcome{Seq: req.Seq, Kind: Failed, Detail: qrTimedOut})
		return
	case c.req != nil:
		c.outcome(Outcome{Seq: req.Seq, Kind: Failed, Detail: "another command is in progress"})
		return
	}
	c.req = &req
	if !c.ready {
		c.handshakeBy = deadlineAfter(now, c.handshake)
		c.attempts = 0
		if c.connected {
			c.sync(now)
		} else {
			c.reconnect()
		}
		return
	}
	if !c.connected {
		c.end(Outcome{Seq: req.Seq, Kind: Failed, Detail: "Broken pipe (os error 32)"})
		return
	}
	args := req.Arguments
	if len(args) == 0 {
		args = []byte("{}") // qapi-rs serializes the command struct: {} when it has no fields
	}
	c.write(append(encodeCommand(req.Execute, args), '\n'), req.Seq, req.Execute+" #"+strconv.Itoa(req.Seq))
	c.waiting, c.syncing = true, false
	c.deadline = deadlineAfter(now, orDefault(req.Timeout, c.timeout))
	c.setStatus(InSync, req.Execute+" sent; the next line is its answer")
}

func (c *qapiRS) sync(now int64) {
	c.attempts++
	c.syncID = c.fixedID
	if c.syncID == 0 {
		c.syncID = 1 + c.rng.IntN(9999)
	}
	id := strconv.Itoa(c.syncID)
	c.write([]byte(`{"execute":"guest-sync","arguments":{"id":`+id+"}}\n"), 0, "guest-sync id="+id)
	c.waiting, c.syncing = true, true
	c.deadline = deadlineAfter(now, c.timeout)
	c.setStatus(WaitSyncID, "handshake try "+strconv.Itoa(c.attempts)+": reads one line, wants the return "+id)
}

func (c *qapiRS) Receive(now int64, data []byte) {
	c.in.add(data)
	if !c.waiting {
		return
	}
	line, from, to, ok := c.in.line()
	if !ok {
		return
	}
	// The BufReader of this call is dropped: what it read past the line
	// goes with it.
	c.dropBuffered("read past the line by a BufReader that was dropped")
	c.waiting = false
	if c.syncing {
		c.syncLine(now, line, from, to)
		return
	}
	o := replyOutcome(c.req.Seq, line, from, to)
	if err := qrDecodeError(line); err != "" {
		c.end(Outcome{Seq: c.req.Seq, Kind: Failed, Detail: err})
		return
	}
	if o.Kind == ErrorReply {
		o.Detail = qrErrorDesc(line)
	}
	c.end(o)
}

func (c *qapiRS) syncLine(now int64, line []byte, from, to int64) {
	if err := qrDecodeError(line); err != "" {
		c.discard(from, to, "the handshake's line does not decode: "+err)
		c.retry(now, err)
		return
	}
	var r struct {
		Return json.RawMessage `json:"return"`
	}
	_ = json.Unmarshal(line, &r)
	switch {
	case isErrorReply(line):
		c.discard(from, to, "an error reply to the handshake")
		c.retry(now, qrErrorDesc(line))
	case string(r.Return) == strconv.Itoa(c.syncID):
		c.ready = true
		c.setStatus(InSync, "handshake done on try "+strconv.Itoa(c.attempts)+"; commands go out bare now")
		req := *c.req
		c.req = nil
		c.Issue(now, req)
	default:
		c.discard(from, to, "a return that is not our sync id")
		c.retry(now, "guest-sync handshake failed")
	}
}

// readFailed is a read that ends without a line: a timeout or a dead
// connection.
func (c *qapiRS) readFailed(now int64, why string) {
	c.waiting = false
	if c.syncing {
		c.retry(now, why)
		return
	}
	kind := Failed
	if why == qrEAGAIN {
		kind = TimedOut
	}
	c.end(Outcome{Seq: c.req.Seq, Kind: kind, Detail: why})
}

// retry is vmtest's "QGA sync failed, retrying": sleep 1 s on the old
// connection, then drop it and try on a new one, unless the deadline has
// passed.
func (c *qapiRS) retry(now int64, why string) {
	c.deadline = 0
	c.retryAt = now + int64(time.Second)
	// Still resyncing, as far as the caller is concerned.
	c.setStatus(WaitSyncID, "QGA sync failed, retrying in 1 s: "+why)
}

func (c *qapiRS) Tick(now int64) {
	if c.retryAt != 0 && now >= c.retryAt {
		c.retryAt = 0
		if c.handshakeBy != 0 && now >= c.handshakeBy {
			c.failed = true
			c.out.Close = true
			c.dropBuffered("the handshake gave up")
			c.end(Outcome{Seq: c.req.Seq, Kind: Failed, Detail: qrTimedOut})
			return
		}
		c.reconnect()
		return
	}
	if c.connecting && now >= c.deadline {
		// The socket never accepted a connection in time.
		c.connecting, c.failed = false, true
		c.out.Close = true
		c.end(Outcome{Seq: c.req.Seq, Kind: Failed, Detail: qrTimedOut})
		return
	}
	if c.waiting && c.deadline != 0 && now >= c.deadline {
		c.deadline = 0
		c.readFailed(now, qrEAGAIN)
	}
}

// reconnect drops the connection and opens a new one; the handshake's
// deadline bounds the wait for it.
func (c *qapiRS) reconnect() {
	c.out.Reopen = true
	c.connecting = true
	c.deadline = c.handshakeBy
	c.setStatus(WaitSyncID, "connecting for handshake try "+strconv.Itoa(c.attempts+1))
}

func (c *qapiRS) end(o Outcome) {
	c.outcome(o)
	c.req, c.deadline, c.waiting, c.syncing = nil, 0, false, false
	if c.connected && !c.failed {
		c.setStatus(Idle, "waiting for the next command")
	}
}

// qrErrorDesc is the text of qapi-rs's error: the reply's desc.
func qrErrorDesc(line []byte) string {
	_, desc, _ := errorOf(line)
	return desc
}

// qrDecodeError is serde_json's error for a line qapi-rs cannot decode as a
// Response (return or error), "" when it decodes. The positions follow
// serde_json's "at line 1 column N"; the words are its usual ones.
func qrDecodeError(line []byte) string {
	col := func(off int64) string { return " at line 1 column " + strconv.FormatInt(off, 10) }
	dec := json.NewDecoder(bytes.NewReader(line))
	var v any
	err := dec.Decode(&v)
	var se *json.SyntaxError
	switch {
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "EOF while parsing a value" + col(int64(len(line)))
	case errors.As(err, &se):
		return "expected value" + col(se.Offset)
	case err != nil:
		return err.Error()
	}
	if rest := bytes.TrimSpace(line[dec.InputOffset():]); len(rest) > 0 {
		return "trailing characters" + col(dec.InputOffset()+1)
	}
	m, ok := v.(map[string]any)
	_, ret := m["return"]
	_, isErr := m["error"]
	if !ok || (!ret && !isErr) {
		return "data did not match any variant of untagged enum Response"
	}
	return ""
}
