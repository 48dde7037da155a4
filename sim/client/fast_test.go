package client

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"strconv"
	"testing"
)

// The fast paths of the strategies' hot code must say exactly what the
// plain code they stand for says: these compare them.

// intReturnPlain is intReturn as the decoder alone reads it.
func intReturnPlain(line []byte) (int64, bool) {
	if rest, ok := bytes.CutPrefix(line, []byte(`{"return": `)); ok {
		if num, ok := bytes.CutSuffix(rest, []byte("}")); ok {
			if v, err := strconv.ParseInt(string(num), 10, 64); err == nil {
				return v, true
			}
		}
	}
	var m struct {
		Return *int64 `json:"return"`
	}
	if json.Unmarshal(line, &m) != nil || m.Return == nil {
		return 0, false
	}
	return *m.Return, true
}

var intReturnSeeds = []string{
	`{"return": 42}`, `{"return": -42}`, `{"return": +42}`, `{"return": 042}`, `{"return": -0}`,
	`{"return": 9223372036854775807}`, `{"return": 9223372036854775808}`, `{"return": -9223372036854775808}`,
	`{"return": 123456789012345678}`, `{"return": 1234567890123456789}`, `{"return": 1.0}`, `{"return": 1e3}`,
	`{"return": }`, `{"return": -}`, `{"return": {}}`, `{"return": {}, "return": 5}`, `{"return": [1]}`,
	`{"return": "5"}`, `{"return": null}`, `{"return":5}`, `{"RETURN": 5}`, `{"return": 5, "x": 1}`,
	`{"return": {"a": 1}`, `{"return": [}`, "\xff{\"return\": 7}", `{"return": 1_000}`, `{"return": 0x10}`,
	`{"error": {"class": "GenericError", "desc": "Invalid JSON syntax"}}`, `{"x": 1, "rEtUrN": 6}`,
	`{"\u0072eturn": 8}`, `{"\u0052ETURN": 9}`, "{\"r\u00e9turn\": 1}", "{\"\u017f\": 1, \"return\": 2}",
	`{"id": 1, "return": 3}`, `{"return": 4, "return": 5}`, `{"return": 4, "return": {}}`,
	`{"return": 1234567890123456789}`, `{"return": -9223372036854775809}`, `{"return": 9999999999999999999}`,
	`{"return": 10000000000000000000}`, `{"return": -1234567890123456789}`, `{"return": 00000000000000000001}`,
}

func TestParseIntAsStrconv(t *testing.T) {
	for _, s := range []string{"0", "-0", "+1", "", "-", "1a", "a", "9223372036854775807", "9223372036854775808",
		"-9223372036854775808", "-9223372036854775809", "9999999999999999999", "18446744073709551616",
		"0000000000000000000001", "1234567890123456789", "-1234567890123456789", " 1", "1 "} {
		v, ok := parseInt([]byte(s))
		pv, err := strconv.ParseInt(s, 10, 64)
		if v != pv || ok != (err == nil) {
			t.Errorf("parseInt(%q) = %d, %v; strconv says %d, %v", s, v, ok, pv, err)
		}
	}
}

func TestIntReturnAsPlain(t *testing.T) {
	for _, s := range intReturnSeeds {
		v, ok := intReturn([]byte(s))
		pv, pok := intReturnPlain([]byte(s))
		if v != pv || ok != pok {
			t.Errorf("intReturn(%q) = %d, %v; the decoder says %d, %v", s, v, ok, pv, pok)
		}
	}
}

func FuzzIntReturn(f *testing.F) {
	for _, s := range intReturnSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, line []byte) {
		v, ok := intReturn(line)
		pv, pok := intReturnPlain(line)
		if v != pv || ok != pok {
			t.Fatalf("intReturn(%q) = %d, %v; the decoder says %d, %v", line, v, ok, pv, pok)
		}
	})
}

func TestAppendQuoteAsStrconv(t *testing.T) {
	for _, s := range []string{"", "guest-sync", "guest-exec-status", "a b", `a"b`, `a\b`, "a\x7fb", "a\x1fb",
		"é", "\xff", "~", " "} {
		if got, want := string(appendQuote([]byte("x"), s)), string(strconv.AppendQuote([]byte("x"), s)); got != want {
			t.Errorf("appendQuote(%q) = %s, want %s", s, got, want)
		}
	}
}

// TestLineBufAsStream feeds a lineBuf reads of every size and takes its
// lines and sentinels as the strategies do: the bytes and offsets must be
// those of the stream, however the buffer moves them inside its array.
func TestLineBufAsStream(t *testing.T) {
	var stream []byte
	for i := range 300 {
		stream = append(stream, bytes.Repeat([]byte{'a' + byte(i%26)}, i%37)...)
		stream = append(stream, '\n')
		if i%7 == 0 {
			stream = append(stream, 0xFF)
		}
	}
	for size := 1; size <= 40; size++ {
		var l lineBuf
		var got []byte // what was taken, in order, with the '\n' and the 0xFF
		var at int64   // the stream offset of the next byte to take
		for off := 0; off < len(stream); off += size {
			l.add(stream[off:min(off+size, len(stream))])
			for {
				if l.pending() > 0 && l.buf[0] == 0xFF {
					if found, n := l.discardThrough(0xFF); !found || n != 1 {
						t.Fatalf("size %d: discardThrough = %v, %d", size, found, n)
					}
					got, at = append(got, 0xFF), at+1
					continue
				}
				take := l.peekLine
				if off%2 == 1 {
					take = l.line
				}
				line, from, to, ok := take()
				if !ok {
					break
				}
				if from != at || to != from+int64(len(line))+1 {
					t.Fatalf("size %d: line at [%d, %d), want from %d", size, from, to, at)
				}
				got, at = append(append(got, line...), '\n'), to
			}
		}
		if !bytes.Equal(got, stream) || l.pending() != 0 || l.total != int64(len(stream)) {
			t.Fatalf("size %d: took %d bytes of %d, %d left", size, len(got), len(stream), l.pending())
		}
	}
}

// TestDelimitedReadSizes feeds the delimited strategy one resync (stale
// bytes, the sentinel, the sync reply, the command's reply) in reads of
// every size: whether it throws the stale bytes away unbuffered or finds
// the sentinel in its buffer, it must discard exactly the bytes before the
// sentinel and hand over the same reply at the same offsets.
func TestDelimitedReadSizes(t *testing.T) {
	stale := []byte("{\"return\": 5}\n{\"return\": {\"version\": \"7.2.0\"}}\n\x00garbage")
	for size := 1; size <= 40; size++ {
		c, err := New("delimited", Options{}, rand.New(rand.NewPCG(1, 2)))
		if err != nil {
			t.Fatal(err)
		}
		c.Connected(0)
		c.Take()
		c.Issue(1, Request{Seq: 1, Execute: "guest-info"})
		a := c.Take()
		if len(a.Writes) != 1 {
			t.Fatalf("size %d: %d writes for the sync", size, len(a.Writes))
		}
		_, id, _ := bytes.Cut(a.Writes[0].Data, []byte(`"id":`))
		id = bytes.TrimSuffix(id, []byte("}}\n"))
		stream := append(append([]byte(nil), stale...), 0xFF)
		stream = append(append(append(stream, `{"return": `...), id...), "}\n"...)
		replyFrom := int64(len(stream))
		stream = append(stream, "{\"return\": {}}\n"...)
		var discarded []Range
		var outcomes []Outcome
		for off := 0; off < len(stream); off += size {
			c.Receive(2, stream[off:min(off+size, len(stream))])
			a := c.Take()
			discarded = append(discarded, a.Discarded...)
			outcomes = append(outcomes, a.Outcomes...)
		}
		at := int64(0)
		for _, r := range discarded {
			if r.From != at || r.To <= r.From {
				t.Fatalf("size %d: discarded [%d, %d) after %d", size, r.From, r.To, at)
			}
			at = r.To
		}
		if at != int64(len(stale)) {
			t.Fatalf("size %d: discarded up to %d, the sentinel is at %d", size, at, len(stale))
		}
		if len(outcomes) != 1 || outcomes[0].Kind != Returned || outcomes[0].ReplyFrom != replyFrom ||
			outcomes[0].ReplyTo != int64(len(stream)) || string(outcomes[0].Reply) != `{"return": {}}` {
			t.Fatalf("size %d: outcomes %+v", size, outcomes)
		}
	}
}

// isObjectPlain is isObject without its fast path.
func isObjectPlain(line []byte) bool {
	t := bytes.TrimLeft(line, " \t\r")
	return len(t) > 0 && t[0] == '{' && validJSON(line)
}

var isObjectSeeds = append([]string{`{"return": 4242}`, `{"return": 0}`, `{"return": -0}`, `{"return": 01}`,
	`{"return": -}`, `{"return": }`, `{"return": 1.5}`, `{"return": 1e3}`, `{"return": 12}}`, `{"return": 1 }`,
	" \t\r{\"return\": 1}", `{"return": {}}`, `{"return": -01}`, `{"return": --1}`, `[1]`, ` `, ``, "\r"},
	intReturnSeeds...)

func TestIsObjectAsPlain(t *testing.T) {
	for _, s := range isObjectSeeds {
		if got, want := isObject([]byte(s)), isObjectPlain([]byte(s)); got != want {
			t.Errorf("isObject(%q) = %v, want %v", s, got, want)
		}
	}
}

func FuzzIsObject(f *testing.F) {
	for _, s := range isObjectSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, line []byte) {
		if got, want := isObject(line), isObjectPlain(line); got != want {
			t.Fatalf("isObject(%q) = %v, want %v", line, got, want)
		}
	})
}
