package client

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"strconv"
	"time"
)

// avocado models avocado-vt's QemuAgent (avocado-framework/avocado-vt,
// virttest/guest_agent.py, classes QemuAgent and Monitor in
// virttest/qemu_monitor.py), as tp-qemu's guest-agent tests create it
// (get_supported_cmds=True: it syncs first):
//
//   - Every request (cmd_raw) first drains the socket: whatever is waiting
//     is read and thrown away. Then it writes json.dumps(cmd) and "\n".
//   - Reading (_read_objects) takes what is available until every line
//     decodes, waiting up to 5 s for a broken or partial line to complete;
//     a leading 0xFF is stripped from each line and lines that still do
//     not decode are skipped. The answer (_get_response) is the first
//     object with "return" or "error" in that batch; the rest of the batch
//     is lost. No answer within 20 s: cmd returns None.
//   - The sync (_sync), once per connection before the first command:
//     guest-sync with a random id in 1000..9999; an error reply gives up at
//     once ("Get an error message when waiting for sync ..."); a return
//     with another id means: wait for further batches for up to 60 s more.
//   - No id is checked during a command: a stale reply that comes first is
//     the answer.
type avocado struct {
	base
	rng         *rand.Rand
	timeout     time.Duration
	syncTimeout time.Duration
	synced      bool
	closed      bool // the peer closed: reads return nothing, writes fail
	req         *Request
	syncing     bool
	syncID      int
	syncUntil   int64 // the end of the sync's wait for its id
	batchAt     int64 // a batch waits for its broken or partial line until then; 0: none
}

// avocadoVM is the VM name in avocado-vt's texts: its default main VM.
const avocadoVM = "avocado-vt-vm1"

// avocadoReadObjects is READ_OBJECTS_TIMEOUT: how long a read waits for its
// lines to decode.
const avocadoReadObjects = 5 * time.Second

func newAvocado(opts Options, rng *rand.Rand) Client {
	c := &avocado{base: base{name: "avocado-vt"}, rng: rng,
		timeout:     orDefault(opts.Timeout, 20*time.Second),     // CMD_TIMEOUT, RESPONSE_TIMEOUT
		syncTimeout: orDefault(opts.SyncTimeout, 60*time.Second), // RESPONSE_TIMEOUT * 3
	}
	c.setStatus(Disconnected, "not connected")
	return c
}

func (c *avocado) Connected(now int64) {
	c.connected, c.closed, c.synced = true, false, false
	c.batchAt = 0
	c.dropBuffered("new connection")
	c.setStatus(Idle, "connected; the first command syncs first")
}

func (c *avocado) Closed(now int64, reason string) {
	c.connected, c.closed = false, true
	c.batchAt = 0
	c.dropBuffered("the connection closed")
	if c.req != nil {
		// _data_available is False once the server closed: no answer.
		c.end(Outcome{Seq: c.req.Seq, Kind: Failed, Detail: "cmd returned None: the agent socket closed (" + reason + ")"})
	}
	c.setStatus(Disconnected, "connection closed: "+reason)
}

// NextTimer is the earlier of the answer's deadline and a batch's wait.
func (c *avocado) NextTimer() (int64, bool) {
	t := c.deadline
	if c.batchAt != 0 && (t == 0 || c.batchAt < t) {
		t = c.batchAt
	}
	return t, t != 0
}

func (c *avocado) Issue(now int64, req Request) {
	if c.req != nil {
		c.outcome(Outcome{Seq: req.Seq, Kind: Failed, Detail: "Could not acquire exclusive lock to send data"})
		return
	}
	data := pyDumps(encodeCommand(req.Execute, req.Arguments))
	if !c.connected {
		c.outcome(Outcome{Seq: req.Seq, Kind: Failed, Detail: "Could not send data: " + pyBytesRepr(append(data, '\n')) + "    ([Errno 32] Broken pipe)"})
		return
	}
	c.req = &req
	if !c.synced {
		c.syncID = 1000 + c.rng.IntN(9000)
		c.syncing = true
		c.syncUntil = deadlineAfter(now, c.timeout+c.syncTimeout)
		sync := pyDumps([]byte(`{"execute":"guest-sync","arguments":{"id":` + strconv.Itoa(c.syncID) + `}}`))
		c.send(now, append(sync, '\n'), 0, "guest-sync id="+strconv.Itoa(c.syncID), c.syncUntil)
		c.setStatus(WaitSyncID, "guest-sync: waits for the return "+strconv.Itoa(c.syncID))
		return
	}
	c.sendCommand(now)
}

func (c *avocado) sendCommand(now int64) {
	c.syncing = false
	data := append(pyDumps(encodeCommand(c.req.Execute, c.req.Arguments)), '\n')
	c.send(now, data, c.req.Seq, c.req.Execute+" #"+strconv.Itoa(c.req.Seq), deadlineAfter(now, orDefault(c.req.Timeout, c.timeout)))
	c.setStatus(InSync, c.req.Execute+" sent; the first return or error that comes is its answer")
}

// send drains, then writes: cmd_raw's _read_objects before _send.
func (c *avocado) send(now int64, data []byte, seq int, what string, deadline int64) {
	c.batchAt = 0
	c.dropBuffered("drained before sending: cmd_raw reads and drops what is waiting")
	c.write(data, seq, what)
	c.deadline = deadline
}

func (c *avocado) Receive(now int64, data []byte) {
	c.in.add(data)
	if c.req == nil {
		c.setStatus(c.status.State, strconv.Itoa(c.in.pending())+" bytes wait; the next command drains them")
		return
	}
	if allLinesDecode(c.in.buf) {
		c.batch(now)
		return
	}
	if c.batchAt == 0 {
		c.batchAt = now + int64(avocadoReadObjects)
	}
}

// allLinesDecode is _read_objects's test for a whole batch: every line
// decodes as JSON as it stands, the last one included.
func allLinesDecode(buf []byte) bool {
	for _, line := range bytes.Split(buf, []byte("\n")) {
		if len(line) > 0 && !validJSON(line) {
			return false
		}
	}
	return true
}

// batch decodes everything read so far, as one _read_objects call, and acts
// on the first return or error in it; the rest of the batch is lost.
func (c *avocado) batch(now int64) {
	c.batchAt = 0
	var got []byte
	var gotFrom, gotTo int64
	for c.in.pending() > 0 {
		line, from, to, ok := c.in.line()
		if !ok {
			// A partial line that never completed: it does not decode.
			from, to = c.in.start, c.in.start+int64(c.in.pending())
			c.in.consume(c.in.pending())
			c.discard(from, to, "a partial line: does not decode, skipped")
			break
		}
		if got != nil {
			c.discard(from, to, "after the answer in the same read: lost")
			continue
		}
		body, bodyFrom := line, from
		if len(body) > 0 && body[0] == 0xFF {
			body, bodyFrom = body[1:], from+1
			c.discard(from, from+1, "a leading 0xFF, stripped")
		}
		var obj map[string]json.RawMessage
		if json.Unmarshal(body, &obj) != nil {
			c.discard(bodyFrom, to, "does not decode as a JSON object: skipped")
			continue
		}
		_, ret := obj["return"]
		_, isErr := obj["error"]
		if !ret && !isErr {
			c.discard(bodyFrom, to, "neither return nor error: skipped")
			continue
		}
		got, gotFrom, gotTo = body, bodyFrom, to
	}
	if got == nil {
		return
	}
	if c.syncing {
		c.syncAnswer(now, got, gotFrom, gotTo)
		return
	}
	o := replyOutcome(c.req.Seq, got, gotFrom, gotTo)
	if o.Kind == ErrorReply {
		o.Detail = avocadoCmdError(c.req.Execute, c.req.Arguments, got)
	}
	c.end(o)
}

func (c *avocado) syncAnswer(now int64, line []byte, from, to int64) {
	var r struct {
		Return json.RawMessage `json:"return"`
		Error  json.RawMessage `json:"error"`
	}
	_ = json.Unmarshal(line, &r)
	if r.Error != nil {
		c.discard(from, to, "an error while waiting for the sync")
		c.end(Outcome{Seq: c.req.Seq, Kind: Failed, Detail: "Get an error message when waiting for sync with qemu guest agent, check the debug log for the future message, detail: '" + pyRepr(r.Error) + "'"})
		return
	}
	if string(r.Return) == strconv.Itoa(c.syncID) {
		c.synced = true
		c.sendCommand(now)
		return
	}
	c.discard(from, to, "a return without our sync id")
	c.setStatus(WaitSyncID, "a return that is not "+strconv.Itoa(c.syncID)+": waits for the next read")
}

// avocadoCmdError is VAgentCmdError's text.
func avocadoCmdError(cmd string, args, line []byte) string {
	var r struct {
		Error json.RawMessage `json:"error"`
	}
	_ = json.Unmarshal(line, &r)
	a := "None"
	if len(args) > 0 {
		a = pyRepr(args)
	}
	return "Virt Agent command " + pyReprString(cmd) + " failed    (arguments: " + a + ",    error message: " + pyRepr(r.Error) + ")"
}

func (c *avocado) end(o Outcome) {
	c.outcome(o)
	c.req, c.deadline, c.syncing = nil, 0, false
	if c.connected {
		c.setStatus(Idle, "waiting for the next command")
	}
}

func (c *avocado) Tick(now int64) {
	if c.batchAt != 0 && now >= c.batchAt {
		c.batch(now)
	}
	if c.req == nil || c.deadline == 0 || now < c.deadline {
		return
	}
	if c.syncing {
		c.synced = false
		c.end(Outcome{Seq: c.req.Seq, Kind: TimedOut, Detail: "Could not sync with guest agent in vm '" + avocadoVM + "'"})
		return
	}
	// cmd gets {} from _get_response and returns None: no exception.
	c.end(Outcome{Seq: c.req.Seq, Kind: TimedOut, Detail: "cmd returned None: no answer within " + orDefault(c.req.Timeout, c.timeout).String()})
}
