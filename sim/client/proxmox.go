package client

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"strconv"
	"time"
)

// proxmox models Proxmox VE's QMPClient talking to qemu-ga (docs/protocol.md
// §4, docs/strategies.md): a new connection for each command; guest-sync-delimited and the
// command in one write, no leading 0xFF; ids are the PID, a "0" and a
// counter; the input is matched greedily on the LAST 0xFF followed by two
// complete lines ending in '}'. A sync id lower than the current one is a
// stale pair and skipped; any other mismatch fails the call. So a complete
// stale pair from an earlier process with a larger PID fails the call.
type proxmox struct {
	base
	pid     int
	vmid    int
	seqNo   int
	timeout time.Duration
	cur     *Request
	curID   uint64
	queued  *Request // waiting for the new connection
	wait    time.Duration
}

func newProxmox(opts Options, rng *rand.Rand) Client {
	pid := opts.PID
	if pid == 0 {
		pid = 1000 + rng.IntN(30000)
	}
	vmid := opts.VMID
	if vmid == 0 {
		vmid = DefaultVMID
	}
	c := &proxmox{base: base{name: "proxmox"}, pid: pid, vmid: vmid, timeout: orDefault(opts.Timeout, 5*time.Second)}
	c.setStatus(Disconnected, "connects for each command")
	return c
}

// proxmoxTimeouts are Proxmox's own timeouts for some commands.
var proxmoxTimeouts = map[string]time.Duration{
	"guest-fsfreeze-freeze": time.Hour, "guest-fsfreeze-thaw": 3 * time.Minute,
	"guest-fstrim": 10 * time.Minute, "guest-shutdown": 10 * time.Minute,
}

func (c *proxmox) Issue(now int64, req Request) {
	if c.cur != nil || c.queued != nil {
		c.outcome(Outcome{Seq: req.Seq, Kind: Failed, Detail: "another command is in progress"})
		return
	}
	c.queued = &req
	// The call's timeout runs from now, also while the connection opens.
	timeout := req.Timeout
	if timeout == 0 {
		timeout = orDefault(proxmoxTimeouts[req.Execute], c.timeout)
	}
	c.wait = timeout
	c.deadline = deadlineAfter(now, timeout)
	c.out.Reopen = true
	c.setStatus(Disconnected, "opening a new connection for "+req.Execute)
}

func (c *proxmox) Connected(now int64) {
	c.connected = true
	c.dropBuffered("new connection")
	if c.queued == nil {
		c.setStatus(Idle, "connected")
		return
	}
	req := *c.queued
	c.queued = nil
	c.cur = &req
	c.seqNo++
	id, _ := strconv.ParseUint(strconv.Itoa(c.pid)+"0"+strconv.Itoa(c.seqNo), 10, 64)
	c.curID = id
	args := req.Arguments
	if len(args) == 0 {
		args = []byte("{}")
	}
	sync := []byte(`{"execute":"guest-sync-delimited","arguments":{"id":` + strconv.FormatUint(id, 10) + "}}\n")
	cmd := append(encodeCommand(req.Execute, args), '\n')
	// One write() carries both; each part is attributed on its own, so the
	// sync's reply never answers the caller's command.
	syncWhat := "guest-sync-delimited id=" + strconv.FormatUint(id, 10)
	cmdWhat := req.Execute + " #" + strconv.Itoa(req.Seq)
	c.out.Writes = append(c.out.Writes, Write{Data: append(sync, cmd...), Seq: req.Seq, What: syncWhat + " + " + cmdWhat,
		Parts: []Part{{N: len(sync), What: syncWhat}, {N: len(cmd), Seq: req.Seq, What: cmdWhat}}})
	c.setStatus(WaitSentinel, "waits for the last 0xFF followed by two complete lines (sync id "+strconv.FormatUint(id, 10)+")")
}

func (c *proxmox) Closed(now int64, reason string) {
	c.connected = false
	if c.cur != nil {
		if noSuccessResponse(c.cur.Execute) && c.syncAnswered() {
			c.outcome(Outcome{Seq: c.cur.Seq, Kind: Returned, Detail: "EOF after the sync reply counts as success"})
		} else {
			c.outcome(Outcome{Seq: c.cur.Seq, Kind: Failed, Detail: c.pveFailed(c.cur.Execute, "client closed connection")})
		}
		c.cur, c.deadline = nil, 0
	}
	c.setStatus(Disconnected, "connection closed: "+reason)
}

// syncAnswered reports whether the buffer holds the sentinel and the sync
// reply with the current id: for guest-shutdown that, then EOF, is success.
func (c *proxmox) syncAnswered() bool {
	want := []byte(`{"return": ` + strconv.FormatUint(c.curID, 10) + `}`)
	for rest := c.in.buf; ; {
		i := bytes.IndexByte(rest, 0xFF)
		if i < 0 {
			return false
		}
		rest = rest[i+1:]
		if line, _, ok := bytes.Cut(rest, []byte("\n")); ok && bytes.Equal(bytes.TrimSuffix(line, []byte("\r")), want) {
			return true
		}
	}
}

func noSuccessResponse(cmd string) bool {
	switch cmd {
	case "guest-shutdown", "guest-suspend-disk", "guest-suspend-ram", "guest-suspend-hybrid":
		return true
	}
	return false
}

func (c *proxmox) Receive(now int64, data []byte) {
	c.in.add(data)
	for c.cur != nil && c.match() {
	}
}

// match applies ^.*\xff([^\n]+}\r?\n[^\n]+})\r?\n(.*)$ (greedy) to the
// buffer; it reports whether it should be tried again (a stale pair skipped).
func (c *proxmox) match() bool {
	buf := c.in.buf
	for i := len(buf) - 1; i >= 0; i-- {
		if buf[i] != 0xFF {
			continue
		}
		sync, cmd, rest, ok := twoLines(buf[i+1:])
		if !ok {
			continue
		}
		syncFrom := c.in.start + int64(i) + 1
		cmdFrom := syncFrom + int64(len(sync))
		cmdFrom += int64(bytes.IndexByte(buf[i+1+len(sync):], '\n') + 1)
		restAt := len(buf) - len(rest)
		cmdTo := c.in.start + int64(restAt)
		return c.judge(sync, cmd, syncFrom, cmdFrom, cmdTo, restAt)
	}
	return false
}

// twoLines matches ([^\n]+}\r?\n[^\n]+})\r?\n(.*) at the start of b.
func twoLines(b []byte) (first, second, rest []byte, ok bool) {
	n1 := bytes.IndexByte(b, '\n')
	if n1 < 0 {
		return nil, nil, nil, false
	}
	first = bytes.TrimSuffix(b[:n1], []byte("\r"))
	if len(first) == 0 || first[len(first)-1] != '}' {
		return nil, nil, nil, false
	}
	after := b[n1+1:]
	n2 := bytes.IndexByte(after, '\n')
	if n2 < 0 {
		return nil, nil, nil, false
	}
	second = bytes.TrimSuffix(after[:n2], []byte("\r"))
	if len(second) == 0 || second[len(second)-1] != '}' {
		return nil, nil, nil, false
	}
	return first, second, after[n2+1:], true
}

func (c *proxmox) judge(sync, cmd []byte, syncFrom, cmdFrom, cmdTo int64, restAt int) bool {
	req := c.cur
	var s struct {
		Return *json.Number `json:"return"`
	}
	dec := json.NewDecoder(bytes.NewReader(sync))
	dec.UseNumber()
	if !validJSON(sync) {
		c.finish(Outcome{Seq: req.Seq, Kind: Failed, Detail: c.pveFailed(req.Execute, perlJSONError(sync))})
		return false
	}
	if dec.Decode(&s) != nil || s.Return == nil {
		c.finish(Outcome{Seq: req.Seq, Kind: Failed, Detail: c.pveFailed(req.Execute, "received response without command id")})
		return false
	}
	got, err := strconv.ParseFloat(s.Return.String(), 64)
	if err == nil && got == 0 {
		// Perl's "!$cmdid" is true for 0 as for a missing id.
		c.finish(Outcome{Seq: req.Seq, Kind: Failed, Detail: c.pveFailed(req.Execute, "received response without command id")})
		return false
	}
	if err == nil && got < float64(c.curID) {
		// A stale pair: skip it and wait for more.
		c.discard(c.in.start, c.in.start+int64(restAt), "a stale pair with a lower id")
		c.in.consume(restAt)
		c.setStatus(Discarding, "skipped a stale pair with lower id "+s.Return.String())
		return true
	}
	if s.Return.String() != strconv.FormatUint(c.curID, 10) {
		c.finish(Outcome{Seq: req.Seq, Kind: Failed, Detail: c.pveFailed(req.Execute, "got wrong command id '"+s.Return.String()+"' (expected "+strconv.FormatUint(c.curID, 10)+")")})
		return false
	}
	line := append([]byte(nil), cmd...)
	c.discard(c.in.start, syncFrom-1, "everything before the last sentinel")
	c.in.consume(restAt)
	if !validJSON(line) {
		// The sync matched, so the command is done; decoding its reply
		// dies (mux_input's from_json).
		c.finish(Outcome{Seq: req.Seq, Kind: Failed, Detail: c.pveFailed(req.Execute, perlJSONError(line))})
		return false
	}
	o := replyOutcome(req.Seq, line, cmdFrom, cmdTo)
	if o.Kind == ErrorReply {
		o.Detail = pveAgentError(line)
	}
	c.finish(o)
	return false
}

func (c *proxmox) finish(o Outcome) {
	c.outcome(o)
	// Whatever else came on this connection goes with it.
	c.dropBuffered("unread when the call ended: closed with the connection")
	c.cur, c.deadline = nil, 0
	c.out.Close = true
	c.setStatus(Disconnected, "call done; closes the connection")
}

func (c *proxmox) Tick(now int64) {
	if c.deadline == 0 || now < c.deadline {
		return
	}
	switch {
	case c.cur != nil:
		c.finish(Outcome{Seq: c.cur.Seq, Kind: TimedOut, Detail: c.pveFailed(c.cur.Execute, "got timeout")})
	case c.queued != nil:
		// The connection never opened (a unix socket whose agent is down).
		c.outcome(Outcome{Seq: c.queued.Seq, Kind: TimedOut, Detail: c.pveFailed(c.queued.Execute, c.pveConnectTimeout(c.wait))})
		c.queued, c.deadline = nil, 0
		c.out.Close = true
		c.setStatus(Disconnected, "timed out before the connection opened")
	}
}
