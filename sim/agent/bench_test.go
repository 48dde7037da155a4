package agent

import (
	"bytes"
	"fmt"
	"testing"
)

// syncStream is n guest-sync requests as libvirt sends them, one a line.
func syncStream(n int) []byte {
	var b bytes.Buffer
	for i := range n {
		fmt.Fprintf(&b, `{"execute":"guest-sync", "arguments":{"id":%d}}`+"\n", int64(1764000000000)+int64(i))
	}
	return b.Bytes()
}

// BenchmarkAgentGuestSync feeds a long stream of guest-sync requests in
// 4096-byte reads (qemu-ga's read size). The figure to watch is MB/s of
// input; allocs/op is per request (each op is one stream of 1000 requests,
// so allocs/op / 1000 is per request).
func BenchmarkAgentGuestSync(b *testing.B) {
	const requests = 1000
	stream := syncStream(requests)
	a := New(Config{}, nil)
	b.SetBytes(int64(len(stream)))
	b.ReportAllocs()
	var out int
	for b.Loop() {
		for off := 0; off < len(stream); off += 4096 {
			for _, r := range a.Feed(0, stream[off:min(off+4096, len(stream))]) {
				out += len(r.Bytes)
			}
		}
	}
	if out == 0 {
		b.Fatal("no replies")
	}
	b.ReportMetric(float64(testing.AllocsPerRun(1, func() {
		for off := 0; off < len(stream); off += 4096 {
			a.Feed(0, stream[off:min(off+4096, len(stream))])
		}
	}))/requests, "allocs/request")
}

// heavyReads is the reads of the fault-heavy minute's agent
// (sweep/testdata/heavy-minute.yaml), one a message: the delimited
// client's 0xFF and guest-sync-delimited with a random id, then its
// guest-sync with a fixed one.
func heavyReads(n int) [][]byte {
	var reads [][]byte
	for i := range n {
		id := uint64(0x9E3779B97F4A7C15) * uint64(i+1) >> 1
		reads = append(reads,
			fmt.Appendf(nil, "\xff{\"execute\":\"guest-sync-delimited\",\"arguments\":{\"id\":%d}}\n", id),
			[]byte(`{"execute":"guest-sync","arguments":{"id":4242}}`+"\n"))
	}
	return reads
}

// BenchmarkAgentHeavyReads feeds the heavy minute's reads one at a time,
// as its agent reads them: each op is 1000 reads (500 of each kind).
func BenchmarkAgentHeavyReads(b *testing.B) {
	reads := heavyReads(500)
	a := New(Config{}, nil)
	b.ReportAllocs()
	var out int
	for b.Loop() {
		for _, r := range reads {
			for _, rep := range a.Feed(0, r) {
				out += len(rep.Bytes)
			}
		}
	}
	if out == 0 {
		b.Fatal("no replies")
	}
}
