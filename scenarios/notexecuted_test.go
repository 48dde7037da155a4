package scenarios

import (
	"strings"
	"testing"

	"github.com/qgasim/qgasim/sim/check"
)

// A ping swallowed by a dead client's fragment gets the agent's parse
// error: the oracle says "not executed", and all-answered fails on it.
func TestNotExecutedFailsAllAnswered(t *testing.T) {
	_, data, ok := LibraryFile("partial-request-without-0xff")
	if !ok {
		t.Fatal("partial-request-without-0xff is not in the library")
	}
	sc, err := Parse("partial-request-without-0xff.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	all := true
	sc.Expect = Expect{AllAnswered: &all}
	run, err := Execute(sc, sc.Config)
	if err != nil {
		t.Fatal(err)
	}
	if q := run.Summary.Requests[0]; q.Verdict != check.NotExecuted || !strings.Contains(string(q.Reply), "JSON parse error") {
		t.Fatalf("the ping: verdict %q reply %q, want not executed with the parse error", q.Verdict, q.Reply)
	}
	res := Evaluate(sc.Expect, run.Summary)
	if len(res) != 1 || res[0].Pass || !strings.Contains(res[0].Why, "not executed") {
		t.Fatalf("all-answered: %+v, want a FAIL that says not executed", res)
	}
	held, changed := sc.Expect.Hold(run.Summary)
	if held.AllAnswered == nil || *held.AllAnswered || len(changed) != 1 {
		t.Fatalf("Hold: %v %v, want all-answered false", held.AllAnswered, changed)
	}
}
