package qjson

import (
	"slices"
	"strings"
	"testing"
)

const (
	eValue  = "error: JSON parse error, expecting value"
	ping    = `{"execute":"guest-ping"}`
	pingOut = `{"execute": "guest-ping"}`
)

func stray(s string) string { return "error: JSON parse error, stray '" + s + "'" }

// Recovery after a lexical error, byte kind by byte kind
// (docs/protocol.md §1.3).
func TestLexerRecovery(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		want     []string
	}{
		{"ff", "\xff" + ping, []string{stray("\xff"), pingOut}},
		{"fe", "\xfe" + ping, []string{stray("\xfe"), pingOut}},
		{"ff ff", "\xff\xff", []string{stray("\xff"), stray("\xff")}},
		{"nul cuts the text", "\x00" + ping, []string{stray(""), pingOut}},
		{"ctrl", "\x01" + ping, []string{stray("\x01"), pingOut}},
		{"del", "\x7f" + ping, []string{stray("\x7f"), pingOut}},
		{"high bytes are one error", "\x80\x81\xfd" + ping, []string{stray("\x80"), pingOut}},
		{"tab keeps recovery", "\xffabc\tdef" + ping, []string{stray("\xff"), pingOut}},
		{"newline ends it silently", "\xffabc\ndef" + ping, []string{stray("\xff"), `error: JSON parse error, invalid keyword 'def'`, pingOut}},
		{"cr ends it silently", "\xffab\r" + ping, []string{stray("\xff"), pingOut}},
		{"ctrl ends it with an error", "\xffab\x02" + ping, []string{stray("\xff"), stray("\x02"), pingOut}},
		{"close brace", "\xffgarb}age" + ping, []string{stray("\xff"), eValue, `error: JSON parse error, invalid keyword 'age'`, pingOut}},
		{"open bracket swallows", "\xffgarb[age" + ping + "]", []string{stray("\xff"), `error: JSON parse error, invalid keyword 'age'`}},
		{"quotes do not end it", "\xff\"'" + ping, []string{stray("\xff"), pingOut}},
		{"cut string", `{"execute":"gue` + "\xff" + ping, []string{stray(`"gue` + "\xff"), pingOut}},
		{"raw newline in string", "{\"execute\":\"foo\nbar\"}", []string{stray("\"foo\n"), eValue}},
		{"number then ff", "12\xff", []string{"12", stray("\xff")}},
		{"keyword then ff", "tru\xff", []string{"error: JSON parse error, invalid keyword 'tru'", stray("\xff")}},
		{"percent", "%d\n", []string{stray("%")}},
		{"uppercase", "TRUE\n", []string{stray("T")}},
		{"leading zero", "01 ", []string{stray("01")}},
		{"zero then e", "0e5 ", []string{"0", "error: JSON parse error, invalid keyword 'e'", "5"}},
		{"mantissa", "1.}", []string{stray("1.}")}},
		{"exponent", "1e}", []string{stray("1e}")}},
		{"sign", "-\n", []string{stray("-\n")}},
		{"numbers", "0 -0 1.5 1e2 -2E-2 9223372036854775807 9223372036854775808 18446744073709551616 1e999 ",
			[]string{"0", "0", "1.5", "100", "-0.02", "9223372036854775807", "9223372036854775808",
				"1.8446744073709552e+19", "inf"}},
		{"lookahead: 42 alone", "42", nil},
		{"lookahead: 42 and newline", "42\n", []string{"42"}},
		{"stray closers", "}]:,", []string{eValue, eValue, eValue, eValue}},
	} {
		if got := feedString(tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("%s: %q\n got %q\nwant %q", tc.name, tc.in, got, tc.want)
		}
	}
}

func TestParserErrors(t *testing.T) {
	p := func(s string) string { return "error: JSON parse error, " + s }
	for _, tc := range []struct{ in, want string }{
		{`{"a"}`, p("missing : in object pair")},
		{`{1:2}`, p("key is not a string in object")},
		{`{"a":1,"a":2}`, p("duplicate key")},
		{`[1 2]`, p("expected separator in list")},
		{`{"a":1 "b":2}`, p("expected separator in dict")},
		{`{"a":}`, p("expecting value")},
		{`[1,]`, p("expecting value")},
		{`{"a":1,}`, p("expecting value")}, // the key's own error comes first
		{`{"a":1,2:3}`, p("key is not a string in object")},
		{`[}`, p("expecting value")},
		{`{"execute":"guest-ping"]`, p("expected separator in dict")},
		{`["\q"]`, p("invalid escape sequence in string")},
		{`["\ud800"]`, `error: JSON parse error, \ud800 is not a valid Unicode character`},
		{`["\udc00"]`, `error: JSON parse error, \udc00 is not a valid Unicode character`},
		{`["\u12"]`, `error: JSON parse error, \u12" is not a valid Unicode character`},
		{`["\ufffe"]`, `error: JSON parse error, \ufffe is not a valid Unicode character`},
		{"[\"\xc3(\"]", p("invalid UTF-8 sequence in string")},
		{"[\"\xed\xa0\x80\"]", p("invalid UTF-8 sequence in string")},
		{"[\"\xc1\x81\"]", p("invalid UTF-8 sequence in string")},
		{`[nul]`, p("invalid keyword 'nul'")},
	} {
		got := feedString(tc.in)
		if len(got) == 0 || got[0] != tc.want {
			t.Errorf("%q: got %q, want first %q", tc.in, got, tc.want)
		}
	}
}

func TestStrings(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`["a\"b\'c\/d\\e"]`, `["a\"b'c/d\\e"]`},
		{`['a"b\'c']`, `["a\"b'c"]`},
		{`["\b\f\n\r\t"]`, `["\b\f\n\r\t"]`},
		{`["\u00e9\u00E9\u0001\u007f"]`, `["\u00E9\u00E9\u0001\u007F"]`},
		{`["\ud83d\ude00"]`, `["\uD83D\uDE00"]`},
		{`["a\u0000b"]`, `["a\u0000b"]`},
		{"[\"a\xc0\x80b\"]", `["a\u0000b"]`},
		{"[\"\xf0\x9f\x98\x80\x7f\"]", `["\uD83D\uDE00\u007F"]`},
	} {
		got := feedString(tc.in)
		if len(got) != 1 || got[0] != tc.want {
			t.Errorf("%s: got %q, want %q", tc.in, got, tc.want)
		}
	}
}

// Splitting the input anywhere, or feeding it a byte at a time, gives the
// same messages as one Feed: the parser's state is all in the Parser.
func TestSplitAtEveryOffset(t *testing.T) {
	inputs := []string{
		`{"execute":"guest-sync","arguments":{"id":-12.5e3,"x":[true,false,null,'s\'q']}}` + "\n42 ",
		"\xff" + ping + "\x01\x00}]garb[age" + ping + "]" + `{"execute":"gu` + "\xfe\n" + ping,
		`{"a":"\u00e9\ud83d\ude00` + "\xc3\xa9" + `","b":01,"c":1.}` + "tru\xff0e5 -\n%",
		strings.Repeat("[", 1030) + strings.Repeat("]", 6),
	}
	for _, in := range inputs {
		whole := feed(NewParser(), []byte(in))
		for k := 0; k <= len(in); k++ {
			got := feed(NewParser(), []byte(in[:k]), []byte(in[k:]))
			if !slices.Equal(got, whole) {
				t.Fatalf("%q split at %d:\n got %q\nwant %q", in, k, got, whole)
			}
		}
		var chunks [][]byte
		for i := range len(in) {
			chunks = append(chunks, []byte{in[i]})
		}
		if got := feed(NewParser(), chunks...); !slices.Equal(got, whole) {
			t.Fatalf("%q byte by byte:\n got %q\nwant %q", in, got, whole)
		}
	}
}

// Offset tells, during the callback, where in the Feed the message ended.
func TestOffset(t *testing.T) {
	p := NewParser()
	var ends []int64
	p.Feed([]byte(ping+" 42 \xff"), func(Message) { ends = append(ends, p.Offset()) })
	if want := []int64{int64(len(ping)), int64(len(ping) + 4), int64(len(ping) + 5)}; !slices.Equal(ends, want) {
		t.Errorf("offsets %v, want %v", ends, want)
	}
	if p.Idle() || p.State().Lex != InRecovery {
		t.Errorf("state %+v after a 0xFF, want recovery", p.State())
	}
	p.Feed([]byte("\n"), func(Message) {})
	if !p.Idle() {
		t.Error("parser not idle after the newline that ends recovery")
	}
	p.Feed([]byte(`{"a":`), func(Message) {})
	if st := p.State(); p.Idle() || st.Brace != 1 || st.Queued != 3 {
		t.Errorf("state %+v after a partial object", st)
	}
}
