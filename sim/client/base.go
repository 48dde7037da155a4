package client

import (
	"bytes"
	"encoding/json"
	"strconv"
	"time"

	"github.com/qgasim/qgasim/sim/vtime"
)

// base holds what every strategy needs: the outbox, the status, the
// received bytes and one timer.
type base struct {
	name      string
	out       Actions
	status    Status
	in        lineBuf
	connected bool
	deadline  int64 // 0: no timer
}

func (b *base) Strategy() string { return b.name }

// outbox is the strategy's base, for the lock: it calls Take and Recycle
// straight, at every read, rather than through the Client interface. No
// strategy has its own Take or Recycle.
func (b *base) outbox() *base { return b }

func (b *base) Status() Status { return b.status }

// Retained is the offset of the oldest byte still buffered (client.Retainer):
// every strategy names only buffered bytes.
func (b *base) Retained() int64 { return b.in.start }

func (b *base) NextTimer() (int64, bool) { return b.deadline, b.deadline != 0 }

func (b *base) Take() (a Actions) {
	b.takeInto(&a)
	return a
}

// takeInto is Take into a, which is empty: the lock takes the actions
// straight into its result.
func (b *base) takeInto(a *Actions) {
	if b.out.empty() {
		// Nothing to do (a read of part of a line): the outbox keeps
		// its recycled arrays, and nothing is written.
		return
	}
	*a = b.out
	b.out = Actions{}
}

// empty: nothing asked for.
func (a *Actions) empty() bool {
	return len(a.Writes) == 0 && len(a.Outcomes) == 0 && len(a.Discarded) == 0 &&
		!a.Reopen && !a.Close && !a.Changed
}

// Swap is Take and Recycle in one call (Swapper): *a gets the actions,
// the outbox the arrays *a held, emptied. Field by field: most calls hand
// over a range or two and nothing else.
func (b *base) Swap(a *Actions) {
	o := &b.out
	clear(a.Writes)
	if len(o.Writes) > 0 {
		a.Writes, o.Writes = o.Writes, a.Writes[:0]
	} else {
		a.Writes = a.Writes[:0]
	}
	clear(a.Outcomes)
	if len(o.Outcomes) > 0 {
		a.Outcomes, o.Outcomes = o.Outcomes, a.Outcomes[:0]
	} else {
		a.Outcomes = a.Outcomes[:0]
	}
	// Ranges are not cleared: a Range holds nothing but a short reason.
	if len(o.Discarded) > 0 {
		a.Discarded, o.Discarded = o.Discarded, a.Discarded[:0]
	} else {
		a.Discarded = a.Discarded[:0]
	}
	a.Reopen, a.Close, a.Changed = o.Reopen, o.Close, o.Changed
	o.Reopen, o.Close, o.Changed = false, false, false
}

func (b *base) setStatus(s State, why string) {
	if b.status.State != s || b.status.Why != why {
		b.status = Status{State: s, Why: why}
		b.out.Changed = true
	}
}

func (b *base) write(data []byte, seq int, what string) {
	b.out.Writes = append(b.out.Writes, Write{Data: data, Seq: seq, What: what})
}

func (b *base) outcome(o Outcome) { b.out.Outcomes = append(b.out.Outcomes, o) }

// Recycle keeps the slices of actions the driver is done with for the
// next ones, where none have been made since.
func (b *base) Recycle(a Actions) {
	if b.out.Writes == nil && cap(a.Writes) > 0 {
		clear(a.Writes)
		b.out.Writes = a.Writes[:0]
	}
	if b.out.Outcomes == nil && cap(a.Outcomes) > 0 {
		clear(a.Outcomes)
		b.out.Outcomes = a.Outcomes[:0]
	}
	if b.out.Discarded == nil && cap(a.Discarded) > 0 {
		// Not cleared: a Range holds nothing but a short reason, and
		// there is one for most reads.
		b.out.Discarded = a.Discarded[:0]
	}
}

// discard records received bytes thrown away unread.
func (b *base) discard(from, to int64, why string) {
	if to > from {
		b.out.Discarded = append(b.out.Discarded, Range{From: from, To: to, Why: why})
	}
}

// dropBuffered throws away everything buffered (a new connection, a resync).
func (b *base) dropBuffered(why string) {
	b.discard(b.in.start, b.in.start+int64(len(b.in.buf)), why)
	b.in.reset()
}

// replyOutcome classifies a line handed to the caller as a reply.
func replyOutcome(seq int, line []byte, from, to int64) Outcome {
	kind := Returned
	if isErrorReply(line) {
		kind = ErrorReply
	}
	return Outcome{Seq: seq, Kind: kind, Reply: line, ReplyFrom: from, ReplyTo: to}
}

// isErrorReply reports whether a line is a JSON object with an "error"
// member. qemu-ga's own replies start with {"return" or {"error" or
// {"id": ..., so those are recognised without decoding the whole line.
func isErrorReply(line []byte) bool {
	switch {
	case bytes.HasPrefix(line, []byte(`{"return": `)):
		return false
	case bytes.HasPrefix(line, []byte(`{"error": {`)):
		return true
	}
	var v struct {
		Error json.RawMessage `json:"error"`
	}
	return json.Unmarshal(line, &v) == nil && v.Error != nil
}

// errorOf reads the class and desc of an error reply; ok is false when the
// line has no "error" object. Each client words them its own way.
func errorOf(line []byte) (class, desc string, ok bool) {
	if bytes.IndexByte(line, '\\') < 0 && !bytes.Contains(line, []byte("error")) {
		// No member can be named "error": not even with escapes. Most
		// replies, read without decoding them.
		return "", "", false
	}
	var r struct {
		Error *struct {
			Class string `json:"class"`
			Desc  string `json:"desc"`
		} `json:"error"`
	}
	if json.Unmarshal(line, &r) != nil || r.Error == nil {
		return "", "", false
	}
	return r.Error.Class, r.Error.Desc, true
}

// mayHaveMember reports whether encoding/json could find a member named
// name (lower-case ASCII) in line. It matches keys regardless of case,
// after unescaping them: a line of ASCII without a backslash has such a
// member only if it holds name in some case. Lines without one (error
// replies, most stale ones) need not be decoded.
func mayHaveMember(line []byte, name string) bool {
	for _, c := range line {
		if c == '\\' || c >= 0x80 {
			return true
		}
	}
	for i := 0; i+len(name) <= len(line); i++ {
		if bytes.EqualFold(line[i:i+len(name)], []byte(name)) {
			return true
		}
	}
	return false
}

// isObject reports whether a line is one JSON object, without building it.
func isObject(line []byte) bool {
	if rest, ok := bytes.CutPrefix(line, []byte(`{"return": `)); ok {
		if num, ok := bytes.CutSuffix(rest, []byte("}")); ok && jsonInt(num) {
			// The agent's own form of an integer reply (a sync's).
			return true
		}
	}
	i := 0
	for i < len(line) && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r') {
		i++
	}
	return i < len(line) && line[i] == '{' && validJSON(line)
}

// jsonInt reports whether b is exactly a JSON integer: an optional '-',
// then 0 or digits that do not start with 0.
func jsonInt(b []byte) bool {
	if len(b) > 0 && b[0] == '-' {
		b = b[1:]
	}
	if len(b) == 0 || (b[0] == '0' && len(b) > 1) {
		return false
	}
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// encodeCommand is the compact JSON of a command, as most clients write it.
func encodeCommand(execute string, args []byte) []byte {
	// Room for the usual command in one array, and for the '\n' most
	// callers add.
	return appendCommand(make([]byte, 0, commandLen(execute, args)+1), execute, args)
}

// commandLen is the length of the usual encoded command (a name without
// characters to escape).
func commandLen(execute string, args []byte) int {
	return len(`{"execute":"","arguments":}`) + len(execute) + len(args)
}

// appendCommand appends the compact JSON of a command to b.
func appendCommand(b []byte, execute string, args []byte) []byte {
	b = append(b, `{"execute":`...)
	b = appendQuote(b, execute)
	if len(args) > 0 {
		b = append(b, `,"arguments":`...)
		b = append(b, args...)
	}
	return append(b, '}')
}

// appendQuote is strconv.AppendQuote. A command's name is printable
// ASCII without quotes or backslashes, which quoting leaves as it is.
func appendQuote(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c > 0x7E || c == '"' || c == '\\' {
			return strconv.AppendQuote(b, s)
		}
	}
	return append(append(append(b, '"'), s...), '"')
}

// deadlineAfter returns now+d, or 0 (no timer) for a negative d; for Async
// the timer fires at once.
func deadlineAfter(now int64, d time.Duration) int64 {
	switch {
	case d == Async:
		return max(now, 1) // 0 would mean no timer
	case d < 0:
		return 0
	}
	return vtime.Add(now, d)
}
