package shrink

import (
	"bytes"
	"context"
	"errors"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/qgasim/qgasim/internal/scenariotest"
	"github.com/qgasim/qgasim/scenarios"
	"github.com/qgasim/qgasim/sim/check"
)

func load(t testing.TB, path string) *scenarios.Scenario {
	t.Helper()
	sc, err := scenarios.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

func parse(t testing.TB, name, text string) *scenarios.Scenario {
	t.Helper()
	sc, err := scenarios.Parse(name, []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

// failsAt runs a scenario at seed and returns the expectations that failed.
func failsAt(t testing.TB, sc *scenarios.Scenario, seed uint64) []string {
	t.Helper()
	run := scenariotest.ExecuteAt(t, sc, seed)
	var out []string
	for _, r := range run.Results {
		if !r.Pass {
			out = append(out, r.What)
		}
	}
	return out
}

// written is the result as a file would hold it, loaded back.
func written(t testing.TB, res *Result) *scenarios.Scenario {
	t.Helper()
	data := scenarios.Write(res.Scenario)
	back, err := scenarios.Parse("min.yaml", data)
	if err != nil {
		t.Fatalf("the shrunk scenario does not load: %v\n%s", err, data)
	}
	if _, err := scenarios.Build(back, nil); err != nil {
		t.Fatalf("the shrunk scenario does not build: %v\n%s", err, data)
	}
	return back
}

// TestShrinkNoisyMinute: twenty faults, 600 steps, a minute, a failure at
// seed 12 that one duplicated byte causes; shrunk to a few lines that fail
// the same way at every seed.
func TestShrinkNoisyMinute(t *testing.T) {
	sc := load(t, "testdata/noisy-minute.yaml")
	var log []string
	res, err := Shrink(context.Background(), sc, Options{Seed: 12, Log: func(l string) { log = append(log, l) }})
	if err != nil {
		t.Fatal(err)
	}
	min := written(t, res)
	t.Logf("%d runs; %s -> %s\n%s", res.Runs, res.From, res.To, scenarios.Write(min))
	if len(min.Faults) > 2 || len(min.Steps) > 3 {
		t.Errorf("not small: %d faults, %d steps", len(min.Faults), len(min.Steps))
	}
	if res.FailsAt != len(res.Tried) || len(res.Tried) != 21 {
		t.Errorf("fails at %d of %d seeds tried", res.FailsAt, len(res.Tried))
	}
	// Loaded from its file, it fails as the original does, at other seeds too.
	for _, seed := range []uint64{12, 1, 99, 12345} {
		if got := failsAt(t, min, seed); len(got) != 1 || got[0] != "misattributed: 0" {
			t.Errorf("seed %d: failed %q, want misattributed: 0", seed, got)
		}
	}
	if !strings.Contains(min.Comment, "Shrunk by qgasim shrink from testdata/noisy-minute.yaml at seed 12") ||
		!strings.Contains(min.Description, "What causes it:") || len(log) < 5 {
		t.Errorf("comment %q, description %q, %d log lines", min.Comment, min.Description, len(log))
	}
	if sc.Name != "noisy-minute" || len(sc.Faults) != 20 {
		t.Error("shrink changed the scenario it was given")
	}
}

const staleThrice = `version: 1
name: stale-thrice
seed: 42
agent:
  latency:
    guest-info: 7s
    guest-ping: 1s
client:
  strategy: none
  timeout: 5s
faults:
  - kind: delay
    direction: to-host
    p: 0.3
    d: 50ms
steps:
  - send: guest-ping
  - send: guest-info
    note: the slow one
  - sleep: 6s
  - send: guest-get-time
  - send: guest-ping
expect:
  lost: 0
  requests:
    - request: 3
      verdict: correct
`

// TestShrinkFollowsTheRequest: an expectation about request 3 follows its
// send step when the steps before it go, and is the only one kept.
func TestShrinkFollowsTheRequest(t *testing.T) {
	sc := parse(t, "stale.yaml", staleThrice)
	res, err := Shrink(context.Background(), sc, Options{Seed: 42})
	if err != nil {
		t.Fatal(err)
	}
	min := written(t, res)
	if res.Signature.What != "request 3: verdict correct" || res.Signature.Cmd != "guest-get-time" || res.Signature.Verdict != "misattributed" {
		t.Fatalf("signature %+v", res.Signature)
	}
	e := min.Expect
	if len(e.Requests) != 1 || e.Lost != nil {
		t.Fatalf("expect %+v", e)
	}
	n := e.Requests[0].Request
	sends := 0
	for i, st := range min.Steps {
		if st.Send != nil {
			sends++
			if sends == n && st.Send.Execute != "guest-get-time" {
				t.Fatalf("request %d is step %d, %s", n, i+1, st.Send.Execute)
			}
		}
	}
	if len(min.Steps) != 2 || len(min.Faults) != 0 {
		t.Errorf("%d steps, %d faults:\n%s", len(min.Steps), len(min.Faults), scenarios.Write(min))
	}
	if got := failsAt(t, min, 7); len(got) != 1 || !strings.HasPrefix(got[0], "request "+strconv.Itoa(n)+": verdict correct") {
		t.Errorf("seed 7: failed %q", got)
	}
}

// TestShrinkIsDeterministic: the same result whatever the jobs.
func TestShrinkIsDeterministic(t *testing.T) {
	sc := parse(t, "stale.yaml", staleThrice)
	var out [][]byte
	for _, jobs := range []int{1, 3} {
		res, err := Shrink(context.Background(), sc, Options{Seed: 42, Jobs: jobs})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, scenarios.Write(res.Scenario))
	}
	if !bytes.Equal(out[0], out[1]) {
		t.Fatalf("jobs 1 and 3 differ:\n%s\n---\n%s", out[0], out[1])
	}
}

func TestShrinkRefusesAPass(t *testing.T) {
	sc := parse(t, "stale.yaml", strings.Replace(staleThrice, "verdict: correct", "verdict: misattributed", 1))
	_, err := Shrink(context.Background(), sc, Options{Seed: 42})
	if !errors.Is(err, ErrPasses) {
		t.Fatalf("err %v, want ErrPasses", err)
	}
}

// TestSingleFollowsEvaluate: single lists every kind of expectation
// Evaluate checks, one each, in its order: an expectation added to the
// format and not to single would be lost by a shrink.
func TestSingleFollowsEvaluate(t *testing.T) {
	var e scenarios.Expect
	v := reflect.ValueOf(&e).Elem()
	for i := 0; i < v.NumField(); i++ {
		f := v.Field(i)
		switch f.Kind() {
		case reflect.Pointer:
			f.Set(reflect.New(f.Type().Elem()))
		case reflect.Struct: // LostBytes: its pointers
			for j := 0; j < f.NumField(); j++ {
				f.Field(j).Set(reflect.New(f.Field(j).Type().Elem()))
			}
		case reflect.Slice:
			item := reflect.New(f.Type().Elem()).Elem()
			if item.Kind() == reflect.String {
				item.SetString("misattributed")
			}
			f.Set(reflect.Append(f, item))
		default:
			t.Fatalf("Expect.%s: a %v, which this test does not fill", v.Type().Field(i).Name, f.Kind())
		}
	}
	var whats []string
	for _, x := range single(e) {
		res := scenarios.Evaluate(x, check.Summary{Counts: map[check.Verdict]int{}})
		if len(res) != 1 {
			t.Fatalf("a single expectation gives %d results", len(res))
		}
		whats = append(whats, res[0].What)
	}
	var want []string
	for _, r := range scenarios.Evaluate(e, check.Summary{Counts: map[check.Verdict]int{}}) {
		want = append(want, r.What)
	}
	if strings.Join(whats, "\n") != strings.Join(want, "\n") {
		t.Fatalf("single:\n%s\nEvaluate:\n%s", strings.Join(whats, "\n"), strings.Join(want, "\n"))
	}
}

// TestShrinkSaysAnAbsence: concurrent-callers-naive expects the two
// callers to swap replies; at a seed where each gets its own, the failure
// is something that did not happen, and the result says so rather than
// pass for a reproduction. A failure that something went wrong is not one.
func TestShrinkSaysAnAbsence(t *testing.T) {
	_, data, ok := scenarios.LibraryFile("concurrent-callers-naive")
	if !ok {
		t.Fatal("concurrent-callers-naive is not in the library")
	}
	sc := parse(t, "concurrent-callers-naive.yaml", string(data))
	var seed uint64
	for s := uint64(1); s < 50 && seed == 0; s++ {
		if len(failsAt(t, sc, s)) > 0 {
			seed = s
		}
	}
	if seed == 0 {
		t.Fatal("concurrent-callers-naive passes at seeds 1-49; it is meant to fail at about half")
	}
	res, err := Shrink(context.Background(), sc, Options{Seed: seed, Seeds: 3})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Signature.Absence() {
		t.Fatalf("signature %q not taken for an absence", res.Signature)
	}
	if d := res.Scenario.Description; !strings.Contains(d, "The failure is an absence") || !strings.Contains(d, "--seed "+strconv.FormatUint(seed, 10)) {
		t.Errorf("description does not say it is an absence, with the seed to watch:\n%s", d)
	}
	bad := Signature{Cmd: "guest-info", Verdict: check.Misattributed}
	if bad.Absence() {
		t.Error("a misattributed request taken for an absence")
	}
}
