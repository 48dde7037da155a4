package scenarios

import (
	"strings"
	"testing"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
)

// A key given twice is refused where the second one stands, in every kind
// of mapping: the top level, a mapping of names (agent latency), a fault,
// its trigger, a step. (The YAML parser refuses it first.)
func TestKeyGivenTwice(t *testing.T) {
	const base = "version: 1\nname: twice\nseed: 1\nduration: 1s\nclient: {strategy: none}\n"
	for _, c := range []struct{ src, want string }{
		{base + "seed: 2\nsteps:\n  - send: guest-ping\n", `twice.yaml:6:1: `},
		{base + "agent:\n  latency: {guest-ping: 1ms, 'guest-ping': 2ms}\n", `twice.yaml:7:30: `},
		{base + "faults:\n  - {kind: drop, direction: to-agent, direction: to-host}\n", `twice.yaml:7:39: `},
		{base + "faults:\n  - kind: drop\n    trigger: {at: 1ms, at: 2ms}\n", `twice.yaml:8:24: `},
		{base + "steps:\n  - {send: guest-ping, wait: true, wait: false}\n", `twice.yaml:7:36: `},
	} {
		_, err := Parse("twice.yaml", []byte(c.src))
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "already defined") {
			t.Errorf("%s\ngives %v\nwant %s...already defined", c.src, err, c.want)
		}
	}
}

// unique, the decoder's own guard behind the parser's, keeps the first of
// each key and reports each later one where it stands.
func TestUniqueEntries(t *testing.T) {
	var entries []*ast.MappingValueNode
	for _, src := range []string{"{a: 1, b: 2}", "{a: 3, c: 4, b: 5}"} {
		f, err := parser.ParseBytes([]byte(src), 0)
		if err != nil {
			t.Fatal(err)
		}
		entries = append(entries, f.Docs[0].Body.(*ast.MappingNode).Values...)
	}
	d := newDecoder("x.yaml", nil)
	out, ok := d.unique(entries, "m")
	var keys, vals []string
	for _, mv := range out {
		keys, vals = append(keys, keyName(mv)), append(vals, mv.Value.String())
	}
	if ok || strings.Join(keys, ",") != "a,b,c" || strings.Join(vals, ",") != "1,2,4" {
		t.Fatalf("ok %v, kept %v = %v", ok, keys, vals)
	}
	if len(d.probs) != 2 || d.probs[0].Msg != `m: key "a" is given twice` || d.probs[1].Msg != `m: key "b" is given twice` ||
		d.probs[0].Col != 2 || d.probs[1].Col != 14 {
		t.Fatalf("problems %+v", d.probs)
	}
	if out, ok := d.unique(entries[:2], "m"); !ok || len(out) != 2 {
		t.Fatalf("no key twice: ok %v, %d kept", ok, len(out))
	}
}
