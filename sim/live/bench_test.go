package live

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/qgasim/qgasim/sim"
	"github.com/qgasim/qgasim/sim/link"
)

// noDelay is a link that adds no latency of its own: what a benchmark of
// the shell around the World measures is the shell.
var noDelay = link.Params{Latency: -1, Jitter: -1}

// pingLatencies sends n guest-ping requests one after the other and returns
// each round trip's duration.
func pingLatencies(b *testing.B, addr string, n int) []time.Duration {
	b.Helper()
	c, err := net.Dial("unix", addr)
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	r := bufio.NewReader(c)
	req := []byte(`{"execute":"guest-ping"}`)
	out := make([]time.Duration, 0, n)
	for range n {
		start := time.Now()
		if _, err := c.Write(req); err != nil {
			b.Fatal(err)
		}
		if _, err := r.ReadString('\n'); err != nil {
			b.Fatal(err)
		}
		out = append(out, time.Since(start))
	}
	return out
}

func median(d []time.Duration) time.Duration {
	s := append([]time.Duration(nil), d...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2]
}

// BenchmarkProxyLatency: the same client, one request at a time, against
// qemu-ga directly and through a proxy (to another qemu-ga process of the
// same binary and options: qemu-ga serves one client at a time) with no
// faults and a link that adds no delay of its own. The proxy's cost is
// the difference of the medians (added-µs/req). Each request is on a new
// connection (so a connection's setup and teardown are in it, on both
// sides); BenchmarkProxyLatencyOpen keeps the connections open.
func BenchmarkProxyLatency(b *testing.B) {
	bin := qemuGA(b)
	d := newAgentDir(b, false)
	directAgent := d.managed(b, bin, "", nil)
	defer directAgent.Close()
	if c, err := directAgent.Dial(context.Background()); err != nil {
		b.Fatal(err)
	} else {
		c.Close()
	}
	p := newAgentDir(b, false)
	ag := p.managed(b, bin, "", nil)
	defer ag.Close()
	s, ln := proxySession(b, ag, "unix-socket", func(c *sim.Config) { c.Link = link.Both("unix-socket", noDelay) })
	defer s.Close()
	const warm = 200
	pingLatencies(b, d.sock, warm)
	pingLatencies(b, ln.Addr().String(), warm)
	var direct, proxied []time.Duration
	b.ResetTimer()
	for b.Loop() {
		// Interleaved, so that the machine's noise hits both alike.
		direct = append(direct, pingLatencies(b, d.sock, 1)...)
		proxied = append(proxied, pingLatencies(b, ln.Addr().String(), 1)...)
	}
	b.StopTimer()
	md, mp := median(direct), median(proxied)
	b.ReportMetric(float64(md.Nanoseconds())/1e3, "direct-µs/req")
	b.ReportMetric(float64(mp.Nanoseconds())/1e3, "proxy-µs/req")
	b.ReportMetric(float64((mp-md).Nanoseconds())/1e3, "added-µs/req")
}

// BenchmarkProxyLatencyOpen is BenchmarkProxyLatency with the client's
// connections kept open (as libvirt keeps its channel), one to qemu-ga
// directly and one through the proxy, used in turn: the added latency of
// a request, without a connection's setup and teardown in it.
func BenchmarkProxyLatencyOpen(b *testing.B) { benchProxyOpen(b, false) }

// BenchmarkProxyLatencyOpenTraced is BenchmarkProxyLatencyOpen with the
// session writing its trace to a file, as proxy --trace does.
func BenchmarkProxyLatencyOpenTraced(b *testing.B) { benchProxyOpen(b, true) }

func benchProxyOpen(b *testing.B, traced bool) {
	bin := qemuGA(b)
	d := newAgentDir(b, false)
	directAgent := d.managed(b, bin, "", nil)
	defer directAgent.Close()
	dc, err := directAgent.Dial(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	defer dc.Close()
	p := newAgentDir(b, false)
	ag := p.managed(b, bin, "", nil)
	defer ag.Close()
	var opts Options
	if traced {
		f, err := os.Create(filepath.Join(b.TempDir(), "trace.jsonl"))
		if err != nil {
			b.Fatal(err)
		}
		defer f.Close()
		opts.Trace = f
	}
	s, ln := proxySessionOpts(b, ag, opts, func(c *sim.Config) {
		c.Transport, c.Link = "unix-socket", link.Both("unix-socket", noDelay)
	})
	defer s.Close()
	pc, err := net.Dial("unix", ln.Addr().String())
	if err != nil {
		b.Fatal(err)
	}
	defer pc.Close()
	dr, pr := bufio.NewReader(dc), bufio.NewReader(pc)
	req := []byte(`{"execute":"guest-ping"}`)
	ping := func(c net.Conn, r *bufio.Reader) time.Duration {
		start := time.Now()
		if _, err := c.Write(req); err != nil {
			b.Fatal(err)
		}
		if _, err := r.ReadString('\n'); err != nil {
			b.Fatal(err)
		}
		return time.Since(start)
	}
	for range 200 {
		ping(dc, dr)
		ping(pc, pr)
	}
	var direct, proxied []time.Duration
	b.ResetTimer()
	for b.Loop() {
		direct = append(direct, ping(dc, dr))
		proxied = append(proxied, ping(pc, pr))
	}
	b.StopTimer()
	md, mp := median(direct), median(proxied)
	b.ReportMetric(float64(md.Nanoseconds())/1e3, "direct-µs/req")
	b.ReportMetric(float64(mp.Nanoseconds())/1e3, "proxy-µs/req")
	b.ReportMetric(float64((mp-md).Nanoseconds())/1e3, "added-µs/req")
}

// BenchmarkServePipelined: a client writes guest-sync requests as fast as
// it can (pipelined, from its own goroutine) and reads every reply; one op
// is one request. serve's simulated agent on a unix-socket transport (no
// GLib "Illegal seek" drops) with a link that adds no delay.
func BenchmarkServePipelined(b *testing.B) {
	dir := b.TempDir()
	ln, err := net.Listen("unix", filepath.Join(dir, "s"))
	if err != nil {
		b.Fatal(err)
	}
	s, err := New(sim.Config{Seed: 1, Transport: "unix-socket", Link: link.Both("unix-socket", noDelay)}, Options{})
	if err != nil {
		b.Fatal(err)
	}
	go s.Serve(context.Background(), ln)
	defer s.Close()
	c, err := net.Dial("unix", ln.Addr().String())
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	var reqs bytes.Buffer
	const batch = 1000
	for i := range batch {
		fmt.Fprintf(&reqs, `{"execute":"guest-sync","arguments":{"id":%d}}`, i)
	}
	r := bufio.NewReaderSize(c, 1<<16)
	b.ResetTimer()
	start := time.Now()
	n := 0
	for b.Loop() {
		if n%batch == 0 {
			go func() { c.Write(reqs.Bytes()) }()
		}
		if _, err := r.ReadSlice('\n'); err != nil {
			b.Fatal(err)
		}
		n++
	}
	// Drain what the last batch still owes.
	for n%batch != 0 {
		if _, err := r.ReadSlice('\n'); err != nil {
			b.Fatal(err)
		}
		n++
	}
	b.ReportMetric(float64(n)/time.Since(start).Seconds(), "req/s")
}

// BenchmarkPlainCopyProxy is the baseline of BenchmarkProxyLatency: the
// smallest proxy there is (io.Copy each way, a new connection to the agent
// per client) between the same client and qemu-ga, measured the same way.
// What it adds is what any userspace proxy costs on this machine.
func BenchmarkPlainCopyProxy(b *testing.B) {
	bin := qemuGA(b)
	d := newAgentDir(b, false)
	directAgent := d.managed(b, bin, "", nil)
	defer directAgent.Close()
	if c, err := directAgent.Dial(context.Background()); err != nil {
		b.Fatal(err)
	} else {
		c.Close()
	}
	p := newAgentDir(b, false)
	ag := p.managed(b, bin, "", nil)
	defer ag.Close()
	ln, err := net.Listen("unix", filepath.Join(b.TempDir(), "plain"))
	if err != nil {
		b.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			u, err := ag.Dial(context.Background())
			if err != nil {
				c.Close()
				return
			}
			go func() { io.Copy(u, c); u.Close() }()
			io.Copy(c, u)
			c.Close()
		}
	}()
	pingLatencies(b, d.sock, 200)
	pingLatencies(b, ln.Addr().String(), 200)
	var direct, proxied []time.Duration
	b.ResetTimer()
	for b.Loop() {
		direct = append(direct, pingLatencies(b, d.sock, 1)...)
		proxied = append(proxied, pingLatencies(b, ln.Addr().String(), 1)...)
	}
	b.StopTimer()
	md, mp := median(direct), median(proxied)
	b.ReportMetric(float64(md.Nanoseconds())/1e3, "direct-µs/req")
	b.ReportMetric(float64(mp.Nanoseconds())/1e3, "proxy-µs/req")
	b.ReportMetric(float64((mp-md).Nanoseconds())/1e3, "added-µs/req")
}
