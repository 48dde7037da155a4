package scenarios

import (
	"context"
	"reflect"
	"strings"
	"testing"
)

const repeated = `version: 1
name: soak
seed: 2
duration: 1h
repeat: 500
client: {strategy: none}
steps:
  - send: guest-ping
  - sleep: 10ms
expect:
  correct: 500
  requests:
    - {request: 450, verdict: correct}
`

// repeat runs the program over: a 500-request run from a 10-line file,
// requests numbered on (an expectation may name request 450 of a program
// with one send), written back as read.
func TestRepeat(t *testing.T) {
	sc, err := Parse("soak.yaml", []byte(repeated))
	if err != nil {
		t.Fatal(err)
	}
	if sc.Repeat != 500 {
		t.Fatalf("repeat %d", sc.Repeat)
	}
	back, err := Parse("soak.yaml", Write(sc))
	if err != nil {
		t.Fatal(err)
	}
	back.src, sc.src = nil, nil
	if !reflect.DeepEqual(back, sc) {
		t.Fatalf("written and read back:\n%s", Write(sc))
	}
	cfg, err := Build(sc, nil)
	if err != nil {
		t.Fatal(err)
	}
	run, err := ExecuteContext(context.Background(), sc, cfg, RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if run.Summary.Total != 500 || run.StepsTotal != 1000 || !run.Pass() {
		t.Fatalf("seed 2: %d requests, %d steps, results %+v", run.Summary.Total, run.StepsTotal, run.Results)
	}
	for _, bad := range []string{"repeat: 0", "repeat: -3", "repeat: 1.5"} {
		_, err := Parse("bad.yaml", []byte(strings.Replace(repeated, "repeat: 500", bad, 1)))
		if err == nil || !strings.Contains(err.Error(), "bad.yaml:5:9: repeat") {
			t.Errorf("%s: %v", bad, err)
		}
	}
	_, err = Parse("bad.yaml", []byte(strings.Replace(repeated, "request: 450", "request: 501", 1)))
	if err == nil || !strings.Contains(err.Error(), "request 501, but the steps send only 500") {
		t.Errorf("request 501: %v", err)
	}
}
