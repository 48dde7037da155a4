package scenarios

import (
	"reflect"
	"strings"
	"testing"
)

// The lists of expected requests and resync episodes are read, written
// back as read, and an item without its number is refused where it is,
// with what the number is.
func TestExpectLists(t *testing.T) {
	const head = "version: 1\nname: lists\nseed: 1\nduration: 1s\nclient: {strategy: none}\nsteps:\n  - send: guest-ping\n  - send: guest-info\nexpect:\n"
	good := head + "  requests:\n    - {request: 1, verdict: correct}\n    - {request: 2, contains: x}\n" +
		"  resyncs:\n    - {episode: 1, lasts-at-most: 2s}\n"
	sc, err := Parse("lists.yaml", []byte(good))
	if err != nil {
		t.Fatal(err)
	}
	if len(sc.Expect.Requests) != 2 || sc.Expect.Requests[1].Request != 2 || sc.Expect.Requests[1].Contains != "x" ||
		len(sc.Expect.Resyncs) != 1 || sc.Expect.Resyncs[0].Episode != 1 || *sc.Expect.Resyncs[0].LastsAtMost != 2e9 {
		t.Fatalf("read %+v", sc.Expect)
	}
	back, err := Parse("lists.yaml", Write(sc))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back.Expect, sc.Expect) {
		t.Fatalf("written back %+v, read %+v", back.Expect, sc.Expect)
	}

	bad := head + "  requests:\n    - {verdict: correct}\n  resyncs:\n    - {lasts-at-most: 2s}\n"
	_, err = Parse("lists.yaml", []byte(bad))
	if err == nil {
		t.Fatal("items without their numbers accepted")
	}
	for _, want := range []string{
		"lists.yaml:11:8: expect.requests[0] needs request: the number of the send step (1 for the first send)",
		"lists.yaml:13:8: expect.resyncs[0] needs episode: the number of the resync episode (1 for the first)",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q\nlacks %q", err, want)
		}
	}
}
