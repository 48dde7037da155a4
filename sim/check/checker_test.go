package check

import (
	"math/rand/v2"
	"reflect"
	"sort"
	"testing"

	"github.com/qgasim/qgasim/sim/trace"
)

// issueWrite is a request issued and written at h2a offset off, n bytes.
func issueWrite(req int, t, off, n int64) []trace.Event {
	return []trace.Event{
		{T: t, Kind: trace.KindIssue, Req: req, Cmd: "guest-ping"},
		{T: t, Kind: trace.KindHostWrite, Req: req, Off: off, N: n},
	}
}

func reply(t, originOff int64, req int) trace.Event {
	return trace.Event{T: t, Kind: trace.KindAgentReply, N: 15, Origin: &trace.Origin{Status: "write", Req: req, Off: originOff}}
}

func timeout(req int, t int64) trace.Event {
	return trace.Event{T: t, Kind: trace.KindOutcome, Req: req, Outcome: "timed out"}
}

// A reply that comes after its request timed out still counts as answered;
// a request whose bytes the agent has passed without answering is lost at
// once, and forgotten.
func TestLateAnswerAndSettling(t *testing.T) {
	c := NewChecker(Options{})
	feed := func(evs ...trace.Event) {
		for _, ev := range evs {
			c.Observe(&ev)
		}
	}
	feed(issueWrite(1, 0, 0, 10)...)
	feed(timeout(1, 5))
	feed(issueWrite(2, 6, 10, 10)...)
	feed(timeout(2, 10))
	feed(issueWrite(3, 11, 20, 10)...)
	if len(c.unsettled) != 2 {
		t.Fatalf("unsettled %d, want requests 1 and 2", len(c.unsettled))
	}
	feed(reply(12, 9, 1)) // request 1's late reply
	if len(c.unsettled) != 1 || c.lost != 0 {
		t.Fatalf("after 1's reply: unsettled %d lost %d", len(c.unsettled), c.lost)
	}
	feed(reply(13, 29, 3)) // past 2's bytes: 2 is never answered
	if len(c.unsettled) != 0 || len(c.byReq) != 0 || c.lost != 1 {
		t.Fatalf("after 3's reply: unsettled %d lost %d", len(c.unsettled), c.lost)
	}
	feed(trace.Event{T: 14, Kind: trace.KindOutcome, Req: 3, Outcome: "returned",
		Reply: &trace.ReplyRef{Status: "reply", OriginReq: 3, Cmd: "guest-ping"}, N: 15})
	s := c.Summary(false)
	if s.Lost != 1 || s.Total != 3 || !s.Requests[0].Answered || s.Requests[1].Answered || s.Counts[Correct] != 1 {
		t.Fatalf("summary %+v", s)
	}
	if c.open.len() != 0 {
		t.Fatalf("open %d", c.open.len())
	}
}

// A long run lists its first and last requests and the kept ones; the
// counts cover all of them.
func TestListingBounds(t *testing.T) {
	c := NewChecker(Options{List: 3, Keep: []int{50, 2}})
	for i := 1; i <= 100; i++ {
		for _, ev := range issueWrite(i, int64(i), int64(i)*10, 10) {
			c.Observe(&ev)
		}
		r, t := reply(int64(i), int64(i)*10+9, i), timeout(i, int64(i))
		c.Observe(&r)
		c.Observe(&t)
	}
	s := c.Summary(false)
	var got []int
	for _, r := range s.Requests {
		got = append(got, r.Req)
	}
	if want := []int{1, 2, 3, 50, 98, 99, 100}; !reflect.DeepEqual(got, want) {
		t.Fatalf("listed %v, want %v", got, want)
	}
	if s.Total != 100 || s.Counts[TimedOut] != 100 || s.Lost != 0 {
		t.Fatalf("total %d counts %v lost %d", s.Total, s.Counts, s.Lost)
	}
	if r, ok := s.Request(50); !ok || r.Req != 50 || !r.Answered {
		t.Fatalf("request 50: %+v %v", r, ok)
	}
	if _, ok := s.Request(51); ok {
		t.Fatalf("request 51 is not listed")
	}
}

// The median is exact up to exactSamples durations, then within 0.2 %.
func TestMedian(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var d durations
	var all []int64
	for i := 0; i < 3*exactSamples; i++ {
		v := rng.Int64N(5e9)
		if i%7 == 0 {
			v = rng.Int64N(2000)
		}
		d.add(v)
		all = append(all, v)
		if i == exactSamples-1 {
			s := append([]int64(nil), all...)
			sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
			if m, approx := d.median(); approx || m != s[len(s)/2] {
				t.Fatalf("exact median %d (approx %v), want %d", m, approx, s[len(s)/2])
			}
		}
	}
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	want := all[len(all)/2]
	m, approx := d.median()
	if !approx || m < want-want/500 || m > want+want/500 {
		t.Fatalf("median %d (approx %v), want %d within 0.2 %%", m, approx, want)
	}
	if d.max != all[len(all)-1] {
		t.Fatalf("max %d, want %d", d.max, all[len(all)-1])
	}
	for _, v := range []int64{0, 1, 1023, 1024, 1025, 4095, 1 << 40, 1<<62 + 12345} {
		lo, w := scale.Range(scale.Bucket(v))
		if v < lo || v >= lo+w || (v >= 1024 && w*512 > v) {
			t.Errorf("%d: bucket [%d, %d)", v, lo, lo+w)
		}
	}
}
