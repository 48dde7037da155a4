package agent

import (
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
