package lab

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/qgasim/qgasim/sim/agent"
)

// Experiment is one of the first lab's experiments (docs/lab.md) as a script of host
// actions, and the transports it is run on.
type Experiment struct {
	Name       string
	What       string   // one line: what it shows
	Transports []string // "virtio-serial", "isa-serial"
	// Racy names the real guest's race that the experiment can hit on
	// isa-serial, "" for none: qemu-ga flushes the input queued while it
	// was down when it opens the port, and a short tail of it may arrive
	// after the flush (docs/lab.md, 0.10: 1-5 B in 3 of 10 restarts;
	// this harness saw 9 B, `d":421}}`, with the host loaded). The accepted
	// outcomes are the simulator's own over its seeds and those with the
	// flush forced to leave the last k queued bytes, k = 0..MaxTail (see
	// AcceptedOutcomes), each named by the tail. Every other experiment,
	// and every one on virtio-serial, has exactly one outcome.
	Racy    string
	MaxTail int
	// Rules accept variations of single reads (see ReadRule).
	Rules  []ReadRule
	Script Script
}

// maxFlushTail is the longest flush tail a racy experiment accepts: the
// 16550A's receive FIFO holds 16 bytes.
const maxFlushTail = 16

// Transports of the lab guest.
const (
	Virtio = "virtio-serial"
	ISA    = "isa-serial"
)

func sd(id int) string {
	return fmt.Sprintf("\xff{\"execute\":\"guest-sync-delimited\",\"arguments\":{\"id\":%d}}", id)
}
func syncReq(id int) string { return fmt.Sprintf(`{"execute":"guest-sync","arguments":{"id":%d}}`, id) }

// syncs is n guest-sync requests with ids from first, in one string.
func syncs(first, n int) string {
	var s string
	for i := 0; i < n; i++ {
		s += syncReq(first + i)
	}
	return s
}

func ret(id int) string { return fmt.Sprintf("{\"return\": %d}\n", id) }

const (
	ping      = `{"execute":"guest-ping"}`
	guestInfo = `{"execute":"guest-info"}`
	pong      = "{\"return\": {}}\n"
	partial   = `{"execute":"gue`
)

const (
	ms = time.Millisecond
	s1 = time.Second
)

// clean is how every lab experiment starts: a fresh connection that
// resynchronises with 0xFF and guest-sync-delimited and reads until the
// reply, so that nothing of the experiment before reaches this one.
func clean(id int) []Step {
	return []Step{connect("clean"), write("clean", sd(id)), readUntil("clean", "\xff"+ret(id), 5*s1), closeConn("clean")}
}

func script(name string, steps ...[]Step) Script {
	s := Script{Name: name}
	for _, st := range steps {
		s.Steps = append(s.Steps, st...)
	}
	return s
}

func steps(st ...Step) []Step { return st }

// Experiments are the experiments of docs/lab.md that the
// differential test plays: A, B1, B2, B4, C1-C3, D1-D4, H1, H3 and G on
// virtio-serial; A, B2, C1-C3, D2, D3 and G on isa-serial.
var Experiments = []Experiment{
	{Name: "A", What: "plain: 0xFF + guest-sync-delimited, guest-sync, guest-ping, guest-info",
		Transports: []string{Virtio, ISA},
		Script: script("A", clean(100), steps(connect("a"),
			write("a", sd(101)), readUntil("a", "\xff"+ret(101), 3*s1),
			write("a", syncReq(102)), readUntil("a", ret(102), 3*s1),
			write("a", ping), readUntil("a", pong, 3*s1),
			write("a", guestInfo), readUntil("a", "]}}\n", 5*s1),
			closeConn("a")))},
	{Name: "B1", What: "guest-info sent, host closes at once; the next client's guest-sync",
		Transports: []string{Virtio, ISA},
		Script: script("B1", clean(200), steps(
			connect("c1"), write("c1", guestInfo), closeConn("c1"), sleep(s1),
			connect("c2"), write("c2", syncReq(202)), readUntil("c2", ret(202), 3*s1), closeConn("c2")))},
	{Name: "B2", What: "a reply made while no host is connected (agent paused, request sent, host gone, agent resumed)",
		Transports: []string{Virtio, ISA},
		Script: script("B2", clean(210), steps(agentOp(OpPause),
			connect("c1"), write("c1", syncReq(211)), sleep(s1), closeConn("c1"), sleep(500*ms),
			agentOp(OpResume), sleep(s1),
			connect("c2"), write("c2", syncReq(212)), readUntil("c2", ret(212), 3*s1), closeConn("c2")))},
	{Name: "B3v", What: "a big reply (guest-file-read 2,000,000 B) partly read, host closes; the next client's guest-sync",
		Transports: []string{Virtio}, Script: bigReply("B3v", 2_000_000),
		Rules: []ReadRule{bigTailRule(2_000_000, 200_000, 400_000)}},
	{Name: "B3i", What: "a big reply (guest-file-read 100,000 B) partly read, host closes; the next client's guest-sync",
		Transports: []string{ISA}, Script: bigReply("B3i", 100_000)},
	{Name: "B4", What: "ping + guest-sync sent, host closes at once; the next client resyncs with 0xFF",
		Transports: []string{Virtio}, Rules: []ReadRule{b4Rule},
		Script: script("B4", clean(900), steps(
			connect("c1"), write("c1", ping+syncReq(901)), closeConn("c1"), sleep(s1),
			connect("c2"), write("c2", sd(902)), readUntil("c2", "\xff"+ret(902), 3*s1), closeConn("c2")))},
	{Name: "C1", What: "partial request, reconnect, guest-ping (the parser keeps the partial request)",
		Transports: []string{Virtio, ISA},
		Script: script("C1", clean(300), steps(
			connect("c1"), write("c1", partial), sleep(500*ms), closeConn("c1"),
			connect("c2"), write("c2", ping), readFor("c2", s1),
			write("c2", sd(301)), readUntil("c2", "\xff"+ret(301), 3*s1), closeConn("c2")))},
	{Name: "C2", What: "partial request, reconnect, 0xFF + guest-ping",
		Transports: []string{Virtio, ISA},
		Script: script("C2", clean(310), steps(
			connect("c1"), write("c1", partial), sleep(500*ms), closeConn("c1"),
			connect("c2"), write("c2", "\xff"+ping), readUntil("c2", pong, 3*s1),
			write("c2", sd(302)), readUntil("c2", "\xff"+ret(302), 3*s1), closeConn("c2")))},
	{Name: "C3", What: "partial request, reconnect, 0xFF + guest-sync-delimited",
		Transports: []string{Virtio, ISA},
		Script: script("C3", clean(320), steps(
			connect("c1"), write("c1", partial), sleep(500*ms), closeConn("c1"),
			connect("c2"), write("c2", sd(303)), readUntil("c2", "\xff"+ret(303), 3*s1), closeConn("c2")))},
	{Name: "D1", What: "five requests sent while the agent is down, host stays connected",
		Transports: []string{Virtio},
		Script: script("D1", clean(400), steps(agentOp(OpStop),
			connect("d"), write("d", syncReq(401)+syncReq(402)+syncReq(403)+syncReq(404)+syncReq(405)), readFor("d", 2*s1),
			agentOp(OpStart), readUntil("d", ret(405), 5*s1),
			write("d", sd(406)), readUntil("d", "\xff"+ret(406), 3*s1), closeConn("d")))},
	{Name: "D2", What: "a request sent while the agent is down, host closes before the restart",
		Transports: []string{Virtio, ISA}, Racy: "isa-serial flush tail", MaxTail: maxFlushTail,
		Script: script("D2", clean(410), steps(agentOp(OpStop),
			connect("d1"), write("d1", syncReq(411)), sleep(s1), closeConn("d1"),
			agentOp(OpStart), sleep(s1),
			connect("d2"), readFor("d2", s1), write("d2", syncReq(412)), readUntil("d2", ret(412), 3*s1), closeConn("d2")))},
	{Name: "D3", What: "a request split across an agent restart",
		Transports: []string{Virtio, ISA}, Racy: "isa-serial flush tail", MaxTail: maxFlushTail,
		Script: script("D3", clean(420), steps(
			connect("d"), write("d", `{"execute":"guest-sync","arguments":`), sleep(s1),
			agentOp(OpStop), write("d", `{"id":421}}`), agentOp(OpStart), readFor("d", 2*s1),
			write("d", sd(422)), readUntil("d", "\xff"+ret(422), 3*s1), closeConn("d")))},
	{Name: "D4", What: "a request inside the guest when the agent is killed, a second sent while it is down",
		Transports: []string{Virtio},
		Script: script("D4", clean(430), steps(agentOp(OpPause),
			connect("d"), write("d", syncReq(431)), sleep(1500*ms),
			agentOp(OpKill), write("d", syncReq(432)), sleep(s1),
			agentOp(OpStart), readUntil("d", ret(432), 4*s1),
			write("d", sd(433)), readUntil("d", "\xff"+ret(433), 3*s1), closeConn("d")))},
	{Name: "H1", What: "replies dropped with \"Illegal seek\": 108 guest-sync in three chunks to a paused agent (more than 4 KiB pending)",
		Transports: []string{Virtio, ISA},
		Rules:      []ReadRule{h1Rule},
		Script: script("H1", clean(590), steps(agentOp(OpPause), connect("h"),
			write("h", syncs(500, 18)), sleep(700*ms), write("h", syncs(600, 80)), sleep(700*ms), write("h", syncs(700, 10)),
			sleep(700*ms), agentOp(OpResume), readUntil("h", ret(709), 5*s1),
			write("h", sd(710)), readUntil("h", "\xff"+ret(710), 3*s1), closeConn("h")))},
	{Name: "H3", What: "SIGTERM to an agent holding a reply with no host connected: the next client gets the held reply, then the agent exits; that client's own request is lost with it",
		Transports: []string{Virtio}, Rules: []ReadRule{h3Rule},
		Script: script("H3", clean(810), steps(agentOp(OpPause),
			connect("c1"), write("c1", syncReq(811)), sleep(s1), closeConn("c1"), sleep(500*ms),
			agentOp(OpResume), sleep(s1), agentOp(OpTerm), sleep(2*s1),
			connect("c2"), write("c2", syncReq(813)), readFor("c2", 2*s1),
			agentOp(OpStart), write("c2", syncReq(814)), readUntil("c2", ret(814), 3*s1), closeConn("c2")))},
	{Name: "G", What: "two host clients: the second is served when the first closes",
		Transports: []string{Virtio, ISA},
		Script: script("G", clean(600), steps(
			connect("g1"), write("g1", syncReq(601)), readUntil("g1", ret(601), 3*s1),
			connect("g2"), write("g2", syncReq(602)), readFor("g2", 1500*ms),
			write("g1", syncReq(603)), readUntil("g1", ret(603), 3*s1), closeConn("g1"),
			readUntil("g2", ret(602), 3*s1), write("g2", syncReq(604)), readUntil("g2", ret(604), 3*s1),
			closeConn("g2")))},
}

// h1ReadStep is the index of H1's read of the replies.
const h1ReadStep = 13

// h3ReadStep is the index of H3's read on the second client: after the
// four steps of clean, the twelfth of H3's own.
const h3ReadStep = 16

// h3Rule accepts for H3's read the held reply 811 alone (the usual outcome,
// and the simulator's) or followed by the reply to 813. The agent leaves its
// main loop only once the write of the held reply returns; when the second
// client's request has reached the guest by then, the real agent sometimes
// reads and answers it before it quits (seen on a loaded host). Which one
// happens depends on when the guest's read returns, outside the transport's
// rules.
var h3Rule = ReadRule{Step: h3ReadStep,
	What: "the held reply 811, alone or followed by the reply to 813",
	OK: func(r Recv) bool {
		if r.Sum != nil {
			return false
		}
		d := string(r.Data)
		return d == ret(811) || d == ret(811)+ret(813)
	},
}

// h1Rule accepts for H1's read any in-order subset of the 108 replies that
// ends with 709. Whether GLib's refills overshoot depends on how the bytes
// reach the guest: on isa-serial, paced by the UART, a loaded host once had
// the real guest answer all 108 (the lab saw drops on isa-serial in 3 runs
// of 16 with 2,000 requests); the simulator gives the lab's 87 dropped.
var h1Rule = ReadRule{Step: h1ReadStep,
	What: "replies to a subset of the 108 requests, in order, ending with 709 (how many are dropped depends on timing)",
	OK: func(r Recv) bool {
		if r.Sum != nil {
			return false
		}
		want := map[int]bool{}
		for _, base := range [][2]int{{500, 18}, {600, 80}, {700, 10}} {
			for id := base[0]; id < base[0]+base[1]; id++ {
				want[id] = true
			}
		}
		last := -1
		for _, line := range bytes.Split(bytes.TrimSuffix(r.Data, []byte("\n")), []byte("\n")) {
			var id int
			if _, err := fmt.Sscanf(string(line), "{\"return\": %d}", &id); err != nil || !want[id] || id <= last {
				return false
			}
			if string(line) != strings.TrimSuffix(ret(id), "\n") {
				return false
			}
			last = id
		}
		return last == 709
	}}

// b4ReadStep is the index of B4's read by the second client.
const b4ReadStep = 10

// b4Rule accepts for B4's read the stale replies to the first client's ping
// and guest-sync 901, or only the last of them, or neither, before the
// second client's error for its 0xFF and its delimited reply.
// The first lab (docs/lab.md) recorded both stale replies; with the host loaded the
// real guest once gave neither: the first client's socket was closed after
// QEMU had already taken the replies from the guest (they went with that
// socket) or before QEMU read its request (the agent never saw it). Which
// happens depends on timing outside the transport's rules; the simulator's
// one outcome must be one of these.
var b4Rule = ReadRule{Step: b4ReadStep,
	What: "the stale replies to ping and 901 (both, the last, or none), then the 0xFF's error and \\xff{\"return\": 902}",
	OK: func(r Recv) bool {
		if r.Sum != nil {
			return false
		}
		own := `{"error": {"class": "GenericError", "desc": "JSON parse error, stray '\\uFFFD'"}}` + "\n\xff" + ret(902)
		for _, stale := range []string{pong + ret(901), ret(901), ""} {
			if string(r.Data) == stale+own {
				return true
			}
		}
		return false
	}}

// KnownGaps are the experiments, as "NAME/TRANSPORT", where the simulator is
// known to give other bytes than the real guest, with the reason. The
// differential tests report them and pass; they fail when such an
// experiment starts to match (remove it from here then) and for every
// divergence not listed. Each entry is a bug of the transport model.
var KnownGaps = map[string]string{}

// bigReply is experiment B3: the first client reads 65,536 bytes of a big
// reply and closes; the second asks guest-sync 231 and closes the file. The
// file handle is 1000: no other experiment opens a file, and each agent
// keeps its own counter.
func bigReply(name string, count int) Script {
	s := script(name, clean(230), steps(
		connect("c1"), write("c1", `{"execute":"guest-file-open","arguments":{"path":"`+BigFilePath+`","mode":"r"}}`),
		readUntil("c1", "}\n", 3*s1),
		write("c1", fmt.Sprintf(`{"execute":"guest-file-read","arguments":{"handle":1000,"count":%d}}`, count)),
		readBytes("c1", 65536, 20*s1), sleep(s1), closeConn("c1"), sleep(s1),
		connect("c2"), write("c2", syncReq(231)), readUntil("c2", ret(231), 20*s1),
		write("c2", `{"execute":"guest-file-close","arguments":{"handle":1000}}`), readUntil("c2", pong, 3*s1),
		closeConn("c2")))
	s.BigFile = true
	return s
}

// bigTailStep is the index of the second client's read in bigReply.
const bigTailStep = 14

// bigTailRule accepts, for the second client's read in bigReply, the tail
// of the old reply followed by the client's own reply, whatever the amount
// lost in the middle between lo and hi bytes. How much of a big reply is in
// flight (the host socket, QEMU, the virtqueue) when the host closes varies
// on the real guest: the first lab saw 362,287 B (docs/lab.md, 0.3) lost three times, this
// harness also saw 307,018.
func bigTailRule(count, lo, hi int) ReadRule {
	own := []byte(ret(231))
	return ReadRule{Step: bigTailStep,
		What: fmt.Sprintf("the tail of the old reply and {\"return\": 231}, %d-%d B of the old reply lost in between", lo, hi),
		OK: func(r Recv) bool {
			full := bigReplyBytes(count)
			n := r.size() - len(own)
			lost := len(full) - 65536 - n
			if n <= 0 || lost < lo || lost > hi {
				return false
			}
			want := append(append([]byte(nil), full[len(full)-n:]...), own...)
			return r.same(Recv{Step: r.Step, Conn: r.Conn, Data: want})
		}}
}

// bigReplyBytes is the agent's reply to guest-file-read of count bytes of
// BigFile, as the simulated agent writes it.
func bigReplyBytes(count int) []byte {
	bigReplies.Lock()
	defer bigReplies.Unlock()
	if b, ok := bigReplies.m[count]; ok {
		return b
	}
	a := agent.New(agent.Config{Files: map[string][]byte{BigFilePath: bigFile()}}, nil)
	a.Feed(0, []byte(`{"execute":"guest-file-open","arguments":{"path":"`+BigFilePath+`","mode":"r"}}`))
	rs := a.Feed(0, []byte(fmt.Sprintf(`{"execute":"guest-file-read","arguments":{"handle":1000,"count":%d}}`, count)))
	if len(rs) != 1 {
		panic("lab: the simulated agent did not answer guest-file-read")
	}
	b := append([]byte(nil), rs[0].Bytes...)
	bigReplies.m[count] = b
	return b
}

var bigReplies = struct {
	sync.Mutex
	m map[int][]byte
}{m: map[int][]byte{}}
