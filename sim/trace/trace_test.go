package trace

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestQuoteRoundTrip(t *testing.T) {
	for _, in := range [][]byte{
		nil, []byte(`{"execute":"guest-sync"}`), {0xff, '\n', '\\', 'x', '4', '1', 0}, []byte(`\x41`),
	} {
		q := Quote(in)
		out, err := Unquote(q)
		if err != nil || !bytes.Equal(out, in) {
			t.Errorf("Unquote(Quote(%q)) = %q, %v (quoted %q)", in, out, err, q)
		}
	}
	if got := Quote([]byte{0xff, '{', '\n'}); got != `\xff{\x0a` {
		t.Errorf("Quote = %q", got)
	}
	for _, bad := range []string{`\`, `\x4`, `\xzz`, `\q`} {
		if _, err := Unquote(bad); err == nil {
			t.Errorf("Unquote(%q) gave no error", bad)
		}
	}
}

func TestJSONLRoundTrip(t *testing.T) {
	evs := []Event{
		{T: 0, Seq: 1, Kind: KindStep, Step: 1, Text: "send guest-sync"},
		{T: 1500, Seq: 2, Kind: KindHostWrite, Dir: H2A, Off: 0, N: 3, Bytes: Bytes{0xff, '{', '}'}, Req: 1, Conn: 1, Text: "0xFF"},
		{T: 2000, Seq: 3, Kind: KindDeliver, Dir: H2A, N: 2, Bytes: Bytes("{}"), Src: []Span{{1, 1}, {-1, 1}}},
		{T: 2000, Seq: 4, Kind: KindFault, Dir: H2A, Fault: "drop", Name: "drop#1", Lost: []Span{{0, 1}}, Changed: []Span{{2, 1}}, Added: 1},
		{T: 3000, Seq: 5, Kind: KindAgentReply, Inc: 1, ASeq: 1, Origin: &Origin{Status: "write", Req: 1, Conn: 1, Off: 2}},
		{T: 4000, Seq: 6, Kind: KindOutcome, Req: 1, Outcome: "returned", Reply: &ReplyRef{Status: "reply", Inc: 1, ASeq: 1, OriginReq: 1}},
	}
	var buf bytes.Buffer
	if err := WriteAll(&buf, evs); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(buf.String(), "\n"); n != len(evs) {
		t.Fatalf("%d lines for %d events", n, len(evs))
	}
	if !strings.Contains(buf.String(), `"bytes":"\\xff{}"`) || !strings.Contains(buf.String(), `"src":[[1,1],[-1,1]]`) {
		t.Errorf("unexpected encoding:\n%s", buf.String())
	}
	got, err := ReadAll(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, evs) {
		t.Errorf("round trip:\n got %+v\nwant %+v", got, evs)
	}
}

func TestReaderRejectsUnknownField(t *testing.T) {
	_, err := ReadAll(strings.NewReader("{\"t\":1,\"seq\":1,\"kind\":\"note\",\"bogus\":2}\n"))
	if err == nil || !strings.Contains(err.Error(), "line 1") {
		t.Fatalf("err = %v", err)
	}
}

// One grammar: the scenario escapes read the same here; QuoteText names \n
// \r \t, and both forms read back.
func TestUnquoteGrammar(t *testing.T) {
	for in, want := range map[string]string{
		`\xff\n\r\t\0`:    "\xff\n\r\t\x00",
		`\\xff`:           `\xff`,
		`\"\'`:            `"'`,
		`caf\u00e9`:       "caf\u00e9",
		`plain {"a":1}`:   `plain {"a":1}`,
		"\u00e9 as is \\": "",
	} {
		got, err := Unquote(in)
		if want == "" {
			if err == nil {
				t.Errorf("Unquote(%q) = %q, want an error", in, got)
			}
			continue
		}
		if err != nil || string(got) != want {
			t.Errorf("Unquote(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	b := []byte("{\"execute\":\"x\"}\n\r\t\xff\\'")
	if q := QuoteText(b); q != `{"execute":"x"}\n\r\t\xff\\'` {
		t.Errorf("QuoteText = %s", q)
	}
	if out, err := Unquote(QuoteText(b)); err != nil || !bytes.Equal(out, b) {
		t.Errorf("Unquote(QuoteText) = %q, %v", out, err)
	}
	_, err := Unquote(`ab\q`)
	var be *BytesError
	if !errors.As(err, &be) || be.Offset != 2 || !errors.Is(err, ErrBadBytes) || !strings.Contains(be.Msg, `unknown escape \q`) {
		t.Errorf("error %#v", err)
	}
	if _, err := Unquote(`\x4`); err == nil || !strings.Contains(err.Error(), `\x needs 2 hex digits, not "4"`) {
		t.Errorf("short \\x: %v", err)
	}
}
