package qjson

import (
	"bytes"
	"fmt"
	"testing"
)

// BenchmarkParserGuestSync is the parser alone on the agent benchmark's
// stream: guest-sync requests, one a line, in 4096-byte reads.
func BenchmarkParserGuestSync(b *testing.B) { benchParser(b, false) }

// BenchmarkParserGuestSyncSlow is the same without the fast path (fast.go):
// what every byte costs when the input is not a plain request.
func BenchmarkParserGuestSyncSlow(b *testing.B) { benchParser(b, true) }

func benchParser(b *testing.B, slow bool) {
	var buf bytes.Buffer
	for i := range 1000 {
		fmt.Fprintf(&buf, `{"execute":"guest-sync", "arguments":{"id":%d}}`+"\n", int64(1764000000000)+int64(i))
	}
	stream := buf.Bytes()
	p := NewParser()
	p.slow = slow
	p.Intern("execute", "arguments", "id", "guest-sync")
	n := 0
	emit := func(m Message) { n++ }
	b.SetBytes(int64(len(stream)))
	b.ReportAllocs()
	for b.Loop() {
		for off := 0; off < len(stream); off += 4096 {
			p.Feed(stream[off:min(off+4096, len(stream))], emit)
		}
	}
	if n == 0 {
		b.Fatal("no messages")
	}
}
