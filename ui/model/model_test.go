package model

import (
	"strings"
	"testing"

	"github.com/qgasim/qgasim/sim/trace"
	"github.com/qgasim/qgasim/ui/bytefmt"
)

// events is a small hand-made run: request #1 (guest-info) times out, its
// reply arrives late and a naive client hands it to #2; a fault drops one
// host byte and changes one; a restart cuts the agent.
func events() []trace.Event {
	seq := int64(0)
	ev := func(e trace.Event) trace.Event { seq++; e.Seq = seq; return e }
	w1 := []byte(`{"execute":"guest-info"}`)
	w2 := []byte(`{"execute":"guest-get-time"}`)
	r1 := []byte("{\"return\": {}}\n")
	return []trace.Event{
		ev(trace.Event{T: 0, Kind: trace.KindNote, Step: 1, Text: "slow guest"}),
		ev(trace.Event{T: 0, Kind: trace.KindIssue, Req: 1, Cmd: "guest-info"}),
		ev(trace.Event{T: 0, Kind: trace.KindClientState, State: "in sync", Text: "guest-info sent"}),
		ev(trace.Event{T: 1e6, Kind: trace.KindHostWrite, Dir: trace.H2A, Off: 0, N: int64(len(w1)), Bytes: w1, Req: 1, Conn: 1, Text: "guest-info #1"}),
		ev(trace.Event{T: 2e6, Kind: trace.KindFault, Dir: trace.H2A, Fault: "drop", Name: "drop#1", Lost: []trace.Span{{Off: 3, N: 1}}}),
		ev(trace.Event{T: 2e6, Kind: trace.KindDeliver, Dir: trace.H2A, Off: 0, N: int64(len(w1) - 1), Bytes: append(append([]byte(nil), w1[:3]...), w1[4:]...), Src: []trace.Span{{Off: 0, N: 3}, {Off: 4, N: int64(len(w1) - 4)}}, Inc: 1}),
		ev(trace.Event{T: 5e9, Kind: trace.KindOutcome, Req: 1, Outcome: "timed out"}),
		ev(trace.Event{T: 6e9, Kind: trace.KindIssue, Req: 2, Cmd: "guest-get-time"}),
		ev(trace.Event{T: 6e9, Kind: trace.KindHostWrite, Dir: trace.H2A, Off: int64(len(w1)), N: int64(len(w2)), Bytes: w2, Req: 2, Conn: 1, Text: "guest-get-time #2"}),
		ev(trace.Event{T: 7e9, Kind: trace.KindAgentReply, Dir: trace.A2H, Inc: 1, ASeq: 1, Cmd: "guest-info", Off: 0, N: int64(len(r1)), Bytes: r1,
			Origin: &trace.Origin{Status: "write", Req: 1, Conn: 1, Off: int64(len(w1) - 1)}}),
		ev(trace.Event{T: 7e9, Kind: trace.KindFault, Dir: trace.A2H, Fault: "corrupt", Name: "corrupt#2", Changed: []trace.Span{{Off: 2, N: 1}}}),
		ev(trace.Event{T: 7e9 + 1, Kind: trace.KindDeliver, Dir: trace.A2H, Off: 0, N: int64(len(r1)), Bytes: append([]byte{'{', '"', 'X'}, r1[3:]...), Src: []trace.Span{{Off: 0, N: int64(len(r1))}}, Conn: 1}),
		ev(trace.Event{T: 7e9 + 2, Kind: trace.KindOutcome, Req: 2, Outcome: "returned", Off: 0, N: int64(len(r1)),
			Reply: &trace.ReplyRef{Status: "reply", Inc: 1, ASeq: 1, OriginReq: 1, Cmd: "guest-info"}}),
		ev(trace.Event{T: 8e9, Kind: trace.KindAgentRestart, Inc: 1, Until: 10e9, Text: "restart-agent"}),
		ev(trace.Event{T: 8e9, Kind: trace.KindAgentParser, Inc: 2, State: "IN_START { 1"}),
	}
}

func TestFold(t *testing.T) {
	m := New(Info{Scenario: "t"}, Limits{})
	for _, e := range events() {
		m.Apply(e)
	}
	if m.Events != 15 || m.LastSeq != 15 || m.Now != 8e9 {
		t.Fatalf("events %d seq %d now %d", m.Events, m.LastSeq, m.Now)
	}
	h := m.H2A.writes[0]
	classes := func(seg *Segment) string {
		var b strings.Builder
		for i := range seg.Bytes {
			b.WriteString(map[bytefmt.Class]string{bytefmt.InFlight: "i", bytefmt.Delivered: "d", bytefmt.Dropped: "X",
				bytefmt.Corrupted: "C", bytefmt.Accepted: "A", bytefmt.Discarded: "_", bytefmt.Sentinel: "F"}[seg.Class(i)])
		}
		return b.String()
	}
	if got, want := classes(h), "dddX"+strings.Repeat("d", len(h.Bytes)-4); got != want {
		t.Errorf("host write 1 classes %s, want %s", got, want)
	}
	if got := classes(m.H2A.writes[1]); got != strings.Repeat("i", len(m.H2A.writes[1].Bytes)) {
		t.Errorf("host write 2 classes %s, want all in flight", got)
	}
	r := m.A2H.writes[0]
	if got, want := classes(r), "AAC"+strings.Repeat("A", len(r.Bytes)-3); got != want {
		t.Errorf("reply classes %s, want %s", got, want)
	}
	if r.NewVal[2] != 'X' || r.Label != "reply to guest-info #1 [stale: #1 timed out at 5.000] -> #2" {
		t.Errorf("reply segment: newval %v label %q", r.NewVal, r.Label)
	}
	if m.H2A.Lost != 1 || m.A2H.Changed != 1 || m.H2A.Written != int64(len(h.Bytes)+len(m.H2A.writes[1].Bytes)) {
		t.Errorf("totals h2a lost %d a2h changed %d", m.H2A.Lost, m.A2H.Changed)
	}
	if len(m.Requests) != 2 {
		t.Fatalf("%d requests", len(m.Requests))
	}
	if v := m.Requests[0].Verdict(); v != "timed out; reply went to #2" {
		t.Errorf("#1 verdict %q", v)
	}
	if v := m.Requests[1].Verdict(); v != "MISATTRIBUTED (got #1's)" || !m.Requests[1].Wrong() {
		t.Errorf("#2 verdict %q", v)
	}
	if l := m.Requests[1].Latency(); l != "1.000s" {
		t.Errorf("#2 latency %q", l)
	}
	if m.Agent.Running || m.Agent.Restarts != 1 || m.Agent.DownUntil != 10e9 || m.Agent.Parser != "IN_START { 1" {
		t.Errorf("agent %+v", m.Agent)
	}
	if m.Note.Text != "slow guest" || m.Client.State != "in sync" {
		t.Errorf("note %+v client %+v", m.Note, m.Client)
	}
	// Markers: the drop in h2a, the corrupt in a2h, the restart in both.
	var marks []string
	for _, s := range []*Stream{m.H2A, m.A2H} {
		for _, seg := range s.Segs {
			if seg.Kind == SegMarker {
				marks = append(marks, s.Dir+":"+string(seg.Glyph)+" "+seg.Label)
			}
		}
	}
	want := []string{"h2a:✗ drop#1 drops 1 byte", "h2a:R agent process 1 dies (restart-agent), back at 10.000",
		"a2h:✗ corrupt#2 changes 1 byte", "a2h:R agent process 1 dies (restart-agent), back at 10.000"}
	if strings.Join(marks, "\n") != strings.Join(want, "\n") {
		t.Errorf("markers:\n%s\nwant\n%s", strings.Join(marks, "\n"), strings.Join(want, "\n"))
	}
	story := strings.Join(m.Story(m.A2H, r, 0), "\n")
	for _, want := range []string{"written at 7.000 by agent process 1: reply to guest-info #1", "delivered at 7.000, as byte 0",
		"handed it to caller #2 (guest-get-time) at 7.000: MISATTRIBUTED (got #1's)", "answering request #1"} {
		if !strings.Contains(story, want) {
			t.Errorf("a2h story lacks %q:\n%s", want, story)
		}
	}
	if s := strings.Join(m.Story(m.A2H, r, 2), "\n"); !strings.Contains(s, "changed it to 0x58") {
		t.Errorf("corrupted byte story:\n%s", s)
	}
	// The timeline leaves out the parser event only.
	if len(m.Timeline) != 14 {
		t.Errorf("timeline has %d entries, want 14", len(m.Timeline))
	}
}

func TestDiscardWhileResyncing(t *testing.T) {
	m := New(Info{}, Limits{})
	data := []byte("{\"return\": 1}\n\xff{\"return\": 2}\n")
	m.Apply(trace.Event{Seq: 1, Kind: trace.KindClientState, State: "waiting for 0xFF"})
	m.Apply(trace.Event{Seq: 2, Kind: trace.KindAgentReply, Dir: trace.A2H, Inc: 1, ASeq: 1, N: int64(len(data)), Bytes: data})
	m.Apply(trace.Event{Seq: 3, Kind: trace.KindDeliver, Dir: trace.A2H, N: int64(len(data)), Bytes: data, Src: []trace.Span{{Off: 0, N: int64(len(data))}}})
	seg := m.A2H.writes[0]
	ff := 14
	for i := range seg.Bytes {
		want := bytefmt.Delivered
		switch {
		case i < ff:
			want = bytefmt.Discarded
		case i == ff:
			want = bytefmt.Sentinel
		}
		if got := seg.Class(i); got != want {
			t.Errorf("byte %d (%q): %v, want %v", i, seg.Bytes[i], got, want)
		}
	}
}

func TestAddedBytesAndStory(t *testing.T) {
	m := New(Info{}, Limits{})
	w := []byte(`{"execute":"guest-ping"}`)
	m.Apply(trace.Event{Seq: 1, T: 1e9, Kind: trace.KindHostWrite, Dir: trace.H2A, N: int64(len(w)), Bytes: w, Req: 3, Conn: 1, Text: "guest-ping #3"})
	m.Apply(trace.Event{Seq: 2, T: 1e9, Kind: trace.KindFault, Dir: trace.H2A, Fault: "inject", Name: "inject#1", Added: 1, N: 1, Bytes: []byte{0xff}})
	m.Apply(trace.Event{Seq: 3, T: 2e9, Kind: trace.KindDeliver, Dir: trace.H2A, N: int64(len(w) + 1), Bytes: append([]byte{0xff}, w...),
		Src: []trace.Span{{Off: -1, N: 1}, {Off: 0, N: int64(len(w))}}, Inc: 1})
	m.Apply(trace.Event{Seq: 4, T: 2e9, Kind: trace.KindAgentReply, Dir: trace.A2H, Inc: 1, ASeq: 1, Cmd: "guest-ping", N: 15, Bytes: []byte("{\"return\": {}}\n"),
		Origin: &trace.Origin{Status: "write", Req: 3, Conn: 1, Off: int64(len(w) - 1)}})
	var added *Segment
	for _, seg := range m.H2A.Segs {
		if seg.Kind == SegAdded {
			added = seg
		}
	}
	if added == nil || len(added.Bytes) != 1 || added.Class(0) != bytefmt.Duplicated || added.Label != "added by inject#1" {
		t.Fatalf("added segment %+v", added)
	}
	story := strings.Join(m.Story(m.H2A, m.H2A.writes[0], 5), "\n")
	for _, want := range []string{"byte 0x63 \"c\": delivered", "written at 1.000 by the host: guest-ping #3, byte 6 of 24",
		"request #3 on connection 1", "delivered at 2.000, as byte 6 the reader read (agent process 1)",
		"message 1, guest-ping, handled at 2.000"} {
		if !strings.Contains(story, want) {
			t.Errorf("story lacks %q:\n%s", want, story)
		}
	}
	if s := m.Story(m.H2A, added, 0); !strings.Contains(strings.Join(s, "\n"), "no one wrote it: added by inject#1") {
		t.Errorf("added story: %q", s)
	}
}

// A long run keeps a bounded window however many events pass.
func TestBoundedHistory(t *testing.T) {
	l := Limits{StreamBytes: 1000, StreamSegments: 50, Deliveries: 20, Timeline: 100, Requests: 10}
	m := New(Info{}, l)
	seq := int64(0)
	off := int64(0)
	w := []byte(`{"execute":"guest-ping"}`)
	for i := 1; i <= 5000; i++ {
		for _, e := range []trace.Event{
			{Kind: trace.KindIssue, Req: i, Cmd: "guest-ping"},
			{Kind: trace.KindHostWrite, Dir: trace.H2A, Off: off, N: int64(len(w)), Bytes: w, Req: i},
			{Kind: trace.KindDeliver, Dir: trace.H2A, Off: off, N: int64(len(w)), Bytes: w, Src: []trace.Span{{Off: off, N: int64(len(w))}}},
			{Kind: trace.KindOutcome, Req: i, Outcome: "returned"},
		} {
			seq++
			e.Seq, e.T = seq, seq*1e6
			m.Apply(e)
		}
		off += int64(len(w))
	}
	if m.H2A.kept > l.StreamBytes || len(m.H2A.Segs) > l.StreamSegments {
		t.Errorf("stream keeps %d bytes in %d segments", m.H2A.kept, len(m.H2A.Segs))
	}
	if len(m.Timeline) > 2*l.Timeline || len(m.Requests) > l.Requests || len(m.reqs) > l.Requests || len(m.H2A.delivers) > 2*l.Deliveries {
		t.Errorf("timeline %d requests %d/%d delivers %d", len(m.Timeline), len(m.Requests), len(m.reqs), len(m.H2A.delivers))
	}
	if m.H2A.Written != off || m.H2A.Delivered != off {
		t.Errorf("totals %d %d, want %d", m.H2A.Written, m.H2A.Delivered, off)
	}
	// The newest bytes are still marked delivered: lookups work after eviction.
	last := m.H2A.writes[len(m.H2A.writes)-1]
	if last.Class(0) != bytefmt.Delivered || last.Off != off-int64(len(w)) {
		t.Errorf("last write off %d class %v", last.Off, last.Class(0))
	}
}

func BenchmarkApply(b *testing.B) {
	m := New(Info{}, Limits{})
	w := []byte(`{"execute":"guest-ping"}`)
	off := int64(0)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		m.Apply(trace.Event{Seq: int64(2 * i), Kind: trace.KindHostWrite, Dir: trace.H2A, Off: off, N: int64(len(w)), Bytes: w})
		m.Apply(trace.Event{Seq: int64(2*i + 1), Kind: trace.KindDeliver, Dir: trace.H2A, Off: off, N: int64(len(w)), Bytes: w, Src: []trace.Span{{Off: off, N: int64(len(w))}}})
		off += int64(len(w))
	}
}

// A client.discard event marks exactly the bytes it names, by their writer
// offsets, even when they arrived before the client started to resync.
func TestDiscardEvent(t *testing.T) {
	m := New(Info{}, Limits{})
	data := []byte("{\"return\": {}}\n{\"return\": 7}\n")
	m.Apply(trace.Event{Seq: 1, Kind: trace.KindClientState, State: "in sync"})
	m.Apply(trace.Event{Seq: 2, Kind: trace.KindAgentReply, Dir: trace.A2H, Inc: 1, ASeq: 1, N: int64(len(data)), Bytes: data})
	m.Apply(trace.Event{Seq: 3, Kind: trace.KindDeliver, Dir: trace.A2H, N: int64(len(data)), Bytes: data, Src: []trace.Span{{Off: 0, N: int64(len(data))}}})
	m.Apply(trace.Event{Seq: 4, Kind: trace.KindDiscard, Dir: trace.A2H, Off: 0, N: 15, Src: []trace.Span{{Off: 0, N: 15}}, Text: "stale"})
	seg := m.A2H.writes[0]
	for i := range seg.Bytes {
		want := bytefmt.Delivered
		if i < 15 {
			want = bytefmt.Discarded
		}
		if got := seg.Class(i); got != want {
			t.Errorf("byte %d (%q): %v, want %v", i, seg.Bytes[i], got, want)
		}
	}
}
