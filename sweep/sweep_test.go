package sweep

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strings"
	"testing"

	"github.com/qgasim/qgasim/sim/check"
)

// stalePlan sweeps stale-reply-virtio under two strategies: none passes at
// every seed (it expects the misattribution), delimited fails at every
// seed.
func stalePlan(t testing.TB, seeds Seeds, shard Shard) *Plan {
	sc := library(t, "stale-reply-virtio")
	return &Plan{Targets: []Target{{Info: ScenarioInfo{Scenario: "stale-reply-virtio", Name: sc.Name, SHA256: "x",
		Strategies: []string{"none", "delimited"}}, Scenario: sc}}, Seeds: seeds, Shard: shard, Version: "test"}
}

// lines runs a plan and returns its output: the header and every run line.
func lines(t testing.TB, p *Plan, jobs int) []byte {
	t.Helper()
	h := p.Header()
	out := h.AppendJSON(nil)
	err := Run(context.Background(), p, Options{Jobs: jobs}, func(r *Record) error {
		out = r.AppendJSON(out)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestSameLinesWhateverTheJobs(t *testing.T) {
	p := stalePlan(t, Seeds{1, 300}, Whole)
	one := lines(t, p, 1)
	for _, jobs := range []int{2, 5} {
		if got := lines(t, p, jobs); !bytes.Equal(got, one) {
			t.Fatalf("--jobs %d gives other lines than --jobs 1", jobs)
		}
	}
	n := bytes.Count(one, []byte("\n"))
	if n != 1+600 {
		t.Fatalf("%d lines, want a header and 600 runs", n)
	}
	// In order: none's seeds 1..300, then delimited's.
	ls := strings.Split(strings.TrimSpace(string(one)), "\n")[1:]
	for i, l := range ls {
		r, err := ParseRecord([]byte(l))
		if err != nil {
			t.Fatal(err)
		}
		want := Record{Strategy: "none", Seed: uint64(i + 1)}
		if i >= 300 {
			want = Record{Strategy: "delimited", Seed: uint64(i - 299)}
		}
		if r.Strategy != want.Strategy || r.Seed != want.Seed {
			t.Fatalf("line %d is %s seed %d, want %s seed %d", i+2, r.Strategy, r.Seed, want.Strategy, want.Seed)
		}
		if r.Pass != (r.Strategy == "none") {
			t.Fatalf("%s seed %d: pass %v", r.Strategy, r.Seed, r.Pass)
		}
	}
}

func TestRecordLineRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	words := []string{"", "misattributed: 1", `request 2: contains "x"`, "é\u2028<tag>&\x01\\", "error: sim: budget"}
	for i := 0; i < 500; i++ {
		r := Record{Scenario: words[rng.IntN(len(words))] + "a", Strategy: "none", Seed: rng.Uint64(), Pass: rng.IntN(2) == 0,
			Requests: rng.IntN(1000), Lost: rng.IntN(5), Dropped: rng.IntN(3), Resyncs: rng.IntN(9),
			ResyncMedian: rng.Int64(), ResyncMax: rng.Int64(), Virtual: rng.Int64(), Error: words[rng.IntN(len(words))]}
		if rng.IntN(4) > 0 {
			r.Counts = make([]int, len(check.Verdicts))
			any := false
			for j := range r.Counts {
				if rng.IntN(2) == 0 {
					r.Counts[j] = 1 + rng.IntN(100)
					any = true
				}
			}
			if !any {
				r.Counts = nil // as a line without counts reads back
			}
		}
		for j := rng.IntN(3); j > 0; j-- {
			r.Failed = append(r.Failed, Failure{What: words[rng.IntN(len(words))], Why: words[rng.IntN(len(words))]})
		}
		line := r.AppendJSON(nil)
		if !json.Valid(line) {
			t.Fatalf("not JSON: %s", line)
		}
		back, err := ParseRecord(line)
		if err != nil {
			t.Fatalf("%s: %v", line, err)
		}
		if again := back.AppendJSON(nil); !bytes.Equal(again, line) {
			t.Fatalf("round trip:\n%s\n%s", line, again)
		}
		if fmt.Sprint(back) != fmt.Sprint(r) {
			t.Fatalf("round trip:\n%+v\n%+v", r, back)
		}
	}
}

func TestParseRecordRefuses(t *testing.T) {
	for _, bad := range []string{
		``, `{}`, `[1]`, `{"format":2,"kind":"run","scenario":"a","strategy":"b","seed":1,"pass":true}`,
		`{"format":1,"kind":"sweep","scenario":"a","strategy":"b","seed":1,"pass":true}`,
		`{"format":1,"kind":"run","strategy":"b","seed":1,"pass":true}`,
		`{"format":1,"kind":"run","scenario":"a","strategy":"b","seed":1,"pass":true,"counts":{"great":1}}`,
		`{"format":1,"kind":"run","scenario":"a","strategy":"b","seed":-1,"pass":true}`,
	} {
		if _, err := ParseRecord([]byte(bad)); !errors.Is(err, ErrFormat) {
			t.Errorf("%s: %v, want ErrFormat", bad, err)
		}
	}
	// A field a later version adds is ignored.
	if _, err := ParseRecord([]byte(`{"format":1,"kind":"run","scenario":"a","strategy":"b","seed":1,"pass":true,"new":[1]}`)); err != nil {
		t.Error(err)
	}
}

// tableOf computes the table of a sweep's output, from its lines alone.
func tableOf(t testing.TB, out []byte) *Table {
	t.Helper()
	ls := bytes.Split(bytes.TrimSpace(out), []byte("\n"))
	h, err := ParseHeader(ls[0])
	if err != nil {
		t.Fatal(err)
	}
	tb := NewTable(h)
	for _, l := range ls[1:] {
		r, err := ParseRecord(l)
		if err != nil {
			t.Fatal(err)
		}
		if err := tb.Add(&r); err != nil {
			t.Fatal(err)
		}
	}
	return tb
}

func render(tb *Table) string {
	var b strings.Builder
	tb.Text(&b, func(sc, st string, seed uint64) string { return fmt.Sprintf("replay %s %s %d", sc, st, seed) })
	j, _ := json.Marshal(tb.JSON(nil))
	return b.String() + string(j)
}

// TestTableIsAFunctionOfTheLines: the table the sweep builds as it runs is
// the table of its lines, in any order.
func TestTableIsAFunctionOfTheLines(t *testing.T) {
	p := stalePlan(t, Seeds{1, 200}, Whole)
	live := NewTable(p.Header())
	out := p.Header().AppendJSON(nil)
	err := Run(context.Background(), p, Options{Jobs: 2}, func(r *Record) error {
		out = r.AppendJSON(out)
		return live.Add(r)
	})
	if err != nil {
		t.Fatal(err)
	}
	want := render(live)
	if got := render(tableOf(t, out)); got != want {
		t.Fatalf("the table of the lines differs from the sweep's:\n%s\n---\n%s", got, want)
	}
	ls := bytes.Split(bytes.TrimSpace(out), []byte("\n"))
	rand.New(rand.NewPCG(3, 4)).Shuffle(len(ls)-1, func(i, j int) { ls[i+1], ls[j+1] = ls[j+1], ls[i+1] })
	if got := render(tableOf(t, append(bytes.Join(ls, []byte("\n")), '\n'))); got != want {
		t.Fatal("the table depends on the order of the lines")
	}
	for _, s := range []string{"misattributed: 1", "replay stale-reply-virtio delimited 1", "replay stale-reply-virtio delimited 3"} {
		if !strings.Contains(want, s) {
			t.Errorf("the table does not say %q:\n%s", s, want)
		}
	}
	row := live.Rows()[1]
	if row.Strategy != "delimited" || row.Runs != 200 || row.Pass != 0 || row.Count(check.Correct) != 200 || row.Count(check.TimedOut) != 200 {
		t.Errorf("delimited row: %+v", row)
	}
	if live.Pass() {
		t.Error("a sweep with failing runs passes")
	}
}

func TestTableKeepsTheSmallestSeeds(t *testing.T) {
	var e Examples
	for _, s := range []uint64{50, 7, 9, 7, 100, 3, 8} {
		e.add(s)
	}
	if fmt.Sprint(e.Seeds) != "[3 7 8]" || e.Runs != 7 {
		t.Fatalf("%v %d", e.Seeds, e.Runs)
	}
}

func TestHistogramMedian(t *testing.T) {
	var h histogram
	rng := rand.New(rand.NewPCG(5, 6))
	var vals []int64
	for i := 0; i < 10001; i++ {
		v := rng.Int64N(1e10)
		vals = append(vals, v)
		h.add(v)
	}
	slicesSort(vals)
	exact := vals[len(vals)/2]
	got := h.median()
	if d := float64(got-exact) / float64(exact); d > 0.001 || d < -0.001 {
		t.Fatalf("median %d, exact %d", got, exact)
	}
	for _, v := range []int64{0, 1, 2047, 2048, 2049, 1 << 40, 1<<62 + 12345} {
		lo, w := scale.Range(scale.Bucket(v))
		if v < lo || v >= lo+w {
			t.Fatalf("%d in bucket [%d, %d)", v, lo, lo+w)
		}
	}
}

// TestShardsUnionIsTheSweep: n shards merged give the unsharded sweep's
// lines, line for line, and so its table.
func TestShardsUnionIsTheSweep(t *testing.T) {
	seeds := Seeds{5, 233}
	whole := lines(t, stalePlan(t, seeds, Whole), 2)
	for _, n := range []uint64{1, 4, 7} {
		var srcs []Source
		// The shards in reverse order: the merge does not care.
		for i := n; i > 0; i-- {
			out := lines(t, stalePlan(t, seeds, Shard{i - 1, n}), 2)
			srcs = append(srcs, Source{Name: fmt.Sprintf("shard-%d", i-1), R: bytes.NewReader(out)})
		}
		m, err := NewMerger(srcs)
		if err != nil {
			t.Fatal(err)
		}
		h := m.Header()
		got := h.AppendJSON(nil)
		if err := m.Run(func(r *Record) error { got = r.AppendJSON(got); return nil }); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, whole) {
			t.Fatalf("%d shards merged differ from the sweep", n)
		}
	}
}

func TestShardsPartitionTheSeeds(t *testing.T) {
	for _, r := range []Seeds{{1, 100}, {0, 0}, {7, 7}, {10, 26}} {
		for n := uint64(1); n <= 9; n++ {
			owner := map[uint64]uint64{}
			var sizes []uint64
			for i := uint64(0); i < n; i++ {
				s := Shard{i, n}
				sizes = append(sizes, s.Size(r))
				for k := uint64(0); k < s.Size(r); k++ {
					seed := s.Seed(r, k)
					if _, dup := owner[seed]; dup || !s.Owns(r, seed) {
						t.Fatalf("%v %v: seed %d twice or not owned", r, s, seed)
					}
					owner[seed] = i
				}
			}
			if uint64(len(owner)) != r.Count() {
				t.Fatalf("%v in %d shards: %d seeds of %d", r, n, len(owner), r.Count())
			}
			slicesSortU(sizes)
			if sizes[len(sizes)-1]-sizes[0] > 1 {
				t.Fatalf("%v in %d shards: sizes %v", r, n, sizes)
			}
		}
	}
}

func TestMergeRefuses(t *testing.T) {
	seeds := Seeds{1, 40}
	shard := func(i, n uint64) []byte { return lines(t, stalePlan(t, seeds, Shard{i, n}), 1) }
	s0, s1 := shard(0, 2), shard(1, 2)
	other := stalePlan(t, seeds, Shard{1, 2})
	other.Targets[0].Info.SHA256 = "y"
	cut := s1[:bytes.LastIndexByte(s1[:len(s1)-1], '\n')+1]
	swapped := bytes.Split(s0, []byte("\n"))
	swapped[2], swapped[3] = swapped[3], swapped[2]
	cases := []struct {
		name  string
		files [][]byte
		want  string
	}{
		{"missing", [][]byte{s0}, "shards missing: 1/2"},
		{"twice", [][]byte{s0, s0}, "are both shard 0/2"},
		{"other contents", [][]byte{s0, lines(t, other, 1)}, "different contents"},
		{"other seeds", [][]byte{s0, lines(t, stalePlan(t, Seeds{1, 41}, Shard{1, 2}), 1)}, "seeds 1-40 and 1-41"},
		{"cut", [][]byte{s0, cut}, "the file is cut"},
		{"out of order", [][]byte{bytes.Join(swapped, []byte("\n")), s1}, "out of order"},
		{"not a sweep", [][]byte{[]byte("hello\n"), s1}, "not a line of a qgasim sweep"},
		{"empty", [][]byte{{}, s1}, "empty"},
	}
	for _, c := range cases {
		var srcs []Source
		for i, f := range c.files {
			srcs = append(srcs, Source{Name: fmt.Sprintf("f%d", i), R: bytes.NewReader(f)})
		}
		m, err := NewMerger(srcs)
		if err == nil {
			err = m.Run(func(*Record) error { return nil })
		}
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.name, err, c.want)
		}
	}
}

func TestShardFromEnv(t *testing.T) {
	env := func(kv ...string) func(string) string {
		return func(k string) string {
			for i := 0; i < len(kv); i += 2 {
				if kv[i] == k {
					return kv[i+1]
				}
			}
			return ""
		}
	}
	cases := []struct {
		env   func(string) string
		count uint64
		want  string // shard, or the error's start
	}{
		{env(), 0, "0/1"},
		{env("JOB_COMPLETION_INDEX", "3"), 16, "3/16"},
		{env("JOB_COMPLETION_INDEX", "3"), 0, "JOB_COMPLETION_INDEX=3 is set"},
		{env("JOB_COMPLETION_INDEX", "16"), 16, "bad shard"},
		{env(), 16, "--shard-count needs JOB_COMPLETION_INDEX"},
		{env("CI_NODE_INDEX", "1", "CI_NODE_TOTAL", "4"), 0, "0/4"},
		{env("CI_NODE_INDEX", "4", "CI_NODE_TOTAL", "4"), 0, "3/4"},
		{env("CI_NODE_INDEX", "0", "CI_NODE_TOTAL", "4"), 0, "CI_NODE_INDEX"},
		{env("CI_NODE_INDEX", "5", "CI_NODE_TOTAL", "4"), 0, "bad shard"},
		{env("CI_NODE_TOTAL", "4"), 0, "CI_NODE_INDEX"},
	}
	for _, c := range cases {
		s, _, err := ShardFromEnv(c.env, c.count)
		got := s.String()
		if err != nil {
			got = err.Error()
		}
		if !strings.HasPrefix(got, c.want) {
			t.Errorf("got %q, want %q...", got, c.want)
		}
	}
}

func TestParseSeedsAndShard(t *testing.T) {
	for in, want := range map[string]string{"1-100000": "1-100000", "42": "42", " 3 - 9 ": "3-9", "9-3": "error", "a-b": "error",
		"-5": "error", "0-18446744073709551615": "error", "1-": "error"} {
		s, err := ParseSeeds(in)
		got := s.String()
		if err != nil {
			got = "error"
		}
		if got != want {
			t.Errorf("ParseSeeds(%q) = %s, want %s", in, got, want)
		}
	}
	for in, want := range map[string]string{"3/16": "3/16", "0/1": "0/1", "16/16": "error", "1/0": "error", "3": "error", "-1/4": "error"} {
		s, err := ParseShard(in)
		got := s.String()
		if err != nil {
			got = "error"
		}
		if got != want {
			t.Errorf("ParseShard(%q) = %s, want %s", in, got, want)
		}
	}
}

// TestInterruptedSweepEmitsAPrefix: a sweep stopped by its context gives
// the runs done up to the first missing one, in order, and the context's
// error.
func TestInterruptedSweepEmitsAPrefix(t *testing.T) {
	p := stalePlan(t, Seeds{1, 5000}, Whole)
	ctx, cancel := context.WithCancel(context.Background())
	var got []uint64
	err := Run(ctx, p, Options{Jobs: 2}, func(r *Record) error {
		got = append(got, r.Seed)
		if len(got) == 500 {
			cancel()
		}
		return nil
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v", err)
	}
	if len(got) < 500 || len(got) >= 10000 {
		t.Fatalf("%d runs", len(got))
	}
	for i, s := range got {
		if s != uint64(i+1) {
			t.Fatalf("run %d is seed %d", i, s)
		}
	}
}

// TestSweepMemoryDoesNotGrowWithSeeds: the heap that stays live through a
// sweep (the table, the runner, the output's buffer) is the same after
// 10,000 seeds as after 1,000: the runs are streamed and the table keeps
// counters. It is measured at the last run, when no World is running, so
// that the size of a run in progress does not blur it: anything kept per
// run, even 8 bytes, would show (72 KB over 9,000 runs).
func TestSweepMemoryDoesNotGrowWithSeeds(t *testing.T) {
	if testing.Short() {
		t.Skip("runs 11,000 seeds")
	}
	live := func(n uint64) uint64 {
		p := stalePlan(t, Seeds{1, n}, Whole)
		p.Targets[0].Info.Strategies = []string{"none"}
		tb := NewTable(p.Header())
		var buf []byte
		var at uint64
		sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}, {Name: "/gc/heap/goal:bytes"}}
		i := uint64(0)
		err := Run(context.Background(), p, Options{Jobs: 2}, func(r *Record) error {
			i++
			buf = r.AppendJSON(buf[:0])
			if err := tb.Add(r); err != nil {
				return err
			}
			if i == n {
				// The heap marked live by a full collection.
				runtime.GC()
				metrics.Read(sample)
				at = sample[0].Value.Uint64()
				// The heap the collector lets grow before the next
				// collection (gc.go raises its target): bounded too.
				if goal := sample[1].Value.Uint64(); goal > 64<<20 {
					t.Errorf("the heap goal is %d MB after %d seeds", goal>>20, n)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		runtime.KeepAlive(tb)
		return at
	}
	live(100) // the first sweep pays for what stays (the library, interned names)
	small, large := live(1000), live(10000)
	t.Logf("live heap at the last run: %d KB after 1,000 seeds, %d KB after 10,000", small>>10, large>>10)
	if large > small+32<<10 {
		t.Fatalf("the live heap grows with the seeds: %d KB after 1,000, %d KB after 10,000", small>>10, large>>10)
	}
}

// A sweep runs with the collector's raised target and puts the one it
// found back when it ends; GOGC in the environment, or KeepGC, leaves the
// target alone.
func TestSweepPutsTheGCTargetBack(t *testing.T) {
	gcNow := func() int { v := debug.SetGCPercent(0); debug.SetGCPercent(v); return v }
	old := debug.SetGCPercent(123)
	defer debug.SetGCPercent(old)
	for _, c := range []struct {
		env  string
		keep bool
	}{{"", false}, {"150", false}, {"", true}} {
		t.Setenv("GOGC", c.env)
		during := 0
		err := Run(context.Background(), stalePlan(t, Seeds{1, 3}, Whole), Options{Jobs: 2, KeepGC: c.keep}, func(*Record) error {
			during = gcNow()
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		ok := during >= gcPercent && during <= gcPercentFor(0)
		if c.env != "" || c.keep {
			ok = during == 123 // the process's own
		}
		if !ok || gcNow() != 123 {
			t.Fatalf("GOGC=%q KeepGC=%v: target %d during the sweep, %d after (want 123)", c.env, c.keep, during, gcNow())
		}
	}
}

// A sweep lets the heap grow to 64 MB before a collection, or to five
// times what is live when that is more.
func TestSweepGCTarget(t *testing.T) {
	for _, c := range []struct {
		live uint64
		want int
	}{
		{0, 1500},              // nothing known yet: the runtime's floor (4 MB x 15) at 60 MB
		{2 << 20, 1500},        // 2 MB live: at 60 MB, that floor
		{8 << 20, 700},         // 8 MB: at 64 MB
		{16 << 20, 400},        // 16 MB: at 80 MB, five times
		{200 << 20, gcPercent}, // much live: never less than 400
	} {
		if got := gcPercentFor(c.live); got != c.want {
			t.Errorf("live %d bytes: target %d, want %d", c.live, got, c.want)
		}
	}
}
