package agent

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/qgasim/qgasim/sim/qjson"
)

// The hand-written reply must be what the QDict qmp_dispatch builds would
// be written as: the members put in qemu's order, written in QDict order.
func TestResponseBytesAsQDict(t *testing.T) {
	ids := []*qjson.Value{nil}
	for _, v := range []qjson.Value{qjson.IntValue(7), qjson.StringValue("x\"y"), qjson.NullValue(),
		qjson.ArrayValue(qjson.IntValue(1), qjson.ObjectValue(qjson.NewDict().Put("return", qjson.IntValue(2))))} {
		ids = append(ids, &v)
	}
	rets := []qjson.Value{noReturn, qjson.IntValue(-5), qjson.StringValue("thawed"),
		qjson.ObjectValue(qjson.NewDict().Put("pid", qjson.IntValue(1)).Put("id", qjson.IntValue(2)))}
	errs := []*cmdError{genericError("Parameter 'id' is missing"), {Class: ClassCommandNotFound, Desc: "The command \x01 has not been found"}}
	for _, id := range ids {
		for _, ret := range rets {
			d := qjson.NewDict().Put("return", ret)
			if id != nil {
				d.Put("id", *id)
			}
			want := string(qjson.Append(nil, qjson.ObjectValue(d)))
			if got := string(appendResponse(nil, withID(response{ret: ret}, id))); got != want {
				t.Errorf("success: got %s, want %s", got, want)
			}
		}
		for _, e := range errs {
			ed := qjson.NewDict().Put("class", qjson.StringValue(e.Class)).Put("desc", qjson.StringValue(e.Desc))
			d := qjson.NewDict().Put("error", qjson.ObjectValue(ed))
			if id != nil {
				d.Put("id", *id)
			}
			want := string(qjson.Append(nil, qjson.ObjectValue(d)))
			if got := string(appendResponse(nil, withID(response{err: e}, id))); got != want {
				t.Errorf("error: got %s, want %s", got, want)
			}
		}
	}
}

func withID(r response, id *qjson.Value) *response {
	if id != nil {
		r.id, r.hasID = *id, true
	}
	return &r
}

// TestErrorReplyKept: the agent writes an error reply it has just written
// from the bytes it kept, and any other error (another text, an id) as it
// comes: the replies are those appendResponse writes for each.
func TestErrorReplyKept(t *testing.T) {
	a := New(Config{}, nil)
	in := "\xff\xff\x01\xff" + `{"execute":"nope"}{"execute":"nope","id":1}` + "\xff" +
		`{"execute":"nope"}{"execute":"guest-ping"}` + "\xff"
	var got []string
	for _, r := range a.Feed(0, []byte(in)) {
		got = append(got, string(r.Bytes))
	}
	stray := func(c string) string {
		return string(appendResponse(nil, &response{err: genericError("JSON parse error, stray '" + c + "'")})) + "\n"
	}
	notFound := string(appendResponse(nil, &response{err: &cmdError{Class: ClassCommandNotFound, Desc: "The command nope has not been found"}})) + "\n"
	id := qjson.IntValue(1)
	notFoundID := string(appendResponse(nil, withID(response{err: &cmdError{Class: ClassCommandNotFound, Desc: "The command nope has not been found"}}, &id))) + "\n"
	want := []string{stray("\xff"), stray("\xff"), stray("\x01"), stray("\xff"), notFound, notFoundID, stray("\xff"),
		notFound, "{\"return\": {}}\n", stray("\xff")}
	if len(got) != len(want) {
		t.Fatalf("%d replies, want %d: %q", len(got), len(want), got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("reply %d: %q, want %q", i+1, got[i], want[i])
		}
	}
}

// TestRequestMemo: requests of a shape the agent has checked before
// (qjson.Message.Shape) get the replies a fresh agent gives each of them
// alone, with their own numbers: ids read again, the same errors. Two
// shapes alternate (both kept), then a third comes between (one replaced).
func TestRequestMemo(t *testing.T) {
	shapes := []string{ // %[1]d and %[2]d: two numbers
		`{"execute":"guest-sync","arguments":{"id":%[1]d},"id":%[2]d}`,
		`{"execute":"guest-sync","arguments":{"id":%[1]d},"x":%[2]d}`,
		`{"id":%[2]d,"execute":"guest-ping"}`,
		`{"execute":"guest-sync-delimited","arguments":{"id":%[1]d}}`,
		`{"execute":"guest-sync","arguments":{"id":%[1]d,"z":%[2]d}}`,
		`{"execute":"nope","id":%[2]d}`,
	}
	var msgs []string
	for k := range shapes {
		for i := range 4 {
			for _, s := range []string{shapes[k], shapes[(k+1)%len(shapes)]} {
				msgs = append(msgs, fmt.Sprintf(s, 1<<40+i, 7+i*13))
			}
			if i == 2 {
				msgs = append(msgs, fmt.Sprintf(shapes[(k+2)%len(shapes)], i, i))
			}
		}
	}
	a := New(Config{}, nil)
	recalled := 0
	for i, m := range msgs {
		before := a.reqMemo
		got := a.Feed(0, []byte(m))
		if a.reqMemo == before {
			recalled++
		}
		if a.reqMemo[0].shape != 0 && a.reqMemo[0].shape == a.reqMemo[1].shape {
			t.Fatal("a shape kept twice")
		}
		want := New(Config{}, nil).Feed(0, []byte(m))
		if len(got) != 1 || len(want) != 1 {
			t.Fatalf("message %d %s: %d replies, alone %d", i+1, m, len(got), len(want))
		}
		if !bytes.Equal(got[0].Bytes, want[0].Bytes) || got[0].Command != want[0].Command || !bytes.Equal(got[0].ID, want[0].ID) {
			t.Errorf("message %d %s: %q (%s), alone %q (%s)", i+1, m, got[0].Bytes, got[0].Command, want[0].Bytes, want[0].Command)
		}
	}
	if recalled < len(msgs)/3 {
		t.Errorf("%d of %d requests recalled: the test checks little", recalled, len(msgs))
	}
}
