package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"testing"

	"github.com/qgasim/qgasim/internal/realqga"
)

// The throughput of the agent on real bytes: the same 100,000 guest-sync
// requests (libvirt's form) through `qgasim agent --stdio`, through
// `qgasim agent --listen`, and through the real qemu-ga's unix socket, in
// one run (go test -run XXX -bench Throughput ./cmd/qgasim). Each op is the
// whole stream, from the first byte written to the last reply read; the
// qgasim ones include starting the process.

const benchRequests = 100_000

func benchStream() []byte {
	var b bytes.Buffer
	for i := range benchRequests {
		fmt.Fprintf(&b, `{"execute":"guest-sync", "arguments":{"id":%d}}`+"\n", int64(1764000000000)+int64(i))
	}
	return b.Bytes()
}

// countReplies reads until n replies (lines) have arrived.
func countReplies(b *testing.B, r io.Reader, n int) {
	br := bufio.NewReaderSize(r, 1<<16)
	got := 0
	for got < n {
		chunk, err := br.ReadSlice('\n')
		if err == bufio.ErrBufferFull {
			continue
		}
		if err != nil {
			b.Fatalf("after %d replies: %v", got, err)
		}
		_ = chunk
		got++
	}
}

func BenchmarkThroughputAgentStdio(b *testing.B) {
	stream := benchStream()
	in := filepath.Join(b.TempDir(), "in")
	if err := os.WriteFile(in, stream, 0o600); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(stream)))
	for b.Loop() {
		f, err := os.Open(in)
		if err != nil {
			b.Fatal(err)
		}
		cmd := qgasimCmd(b, "agent", "--stdio")
		cmd.Stdin = f
		out, err := cmd.StdoutPipe()
		if err != nil {
			b.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		countReplies(b, out, benchRequests)
		if err := cmd.Wait(); err != nil {
			b.Fatal(err)
		}
		f.Close()
	}
	b.ReportMetric(float64(benchRequests*b.N)/b.Elapsed().Seconds(), "requests/s")
}

// socketThroughput writes the stream to a unix socket while reading the
// replies.
func socketThroughput(b *testing.B, c net.Conn, stream []byte) {
	errc := make(chan error, 1)
	go func() { _, err := c.Write(stream); errc <- err }()
	countReplies(b, c, benchRequests)
	if err := <-errc; err != nil {
		b.Fatal(err)
	}
}

func BenchmarkThroughputAgentListen(b *testing.B) {
	stream := benchStream()
	sock := filepath.Join(b.TempDir(), "s")
	cmd := qgasimCmd(b, "agent", "--listen", "unix:"+sock)
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	defer func() { cmd.Process.Kill(); <-exited }()
	b.SetBytes(int64(len(stream)))
	for b.Loop() {
		c, err := realqga.DialRetry(sock, 10e9, exited)
		if err != nil {
			b.Fatal(err)
		}
		socketThroughput(b, c, stream)
		c.Close()
	}
	b.ReportMetric(float64(benchRequests*b.N)/b.Elapsed().Seconds(), "requests/s")
}

func BenchmarkThroughputRealQGA(b *testing.B) {
	stream := benchStream()
	a := realqga.Start(b, realqga.Path(b), realqga.Options{})
	b.SetBytes(int64(len(stream)))
	for b.Loop() {
		c, err := realqga.DialRetry(a.Sock, 10e9, a.Exited())
		if err != nil {
			b.Fatal(err)
		}
		socketThroughput(b, c, stream)
		c.Close()
	}
	b.ReportMetric(float64(benchRequests*b.N)/b.Elapsed().Seconds(), "requests/s")
}
