package live

import (
	"context"
	"io"
	"net"
	"path/filepath"
	"testing"
	"time"

	"github.com/qgasim/qgasim/internal/upstream"
)

func BenchmarkPlainCopyProxy(b *testing.B) {
	bin := qemuGA(b)
	d := newAgentDir(b, false)
	directAgent, _ := upstream.New("unix:"+d.sock, d.command(bin, ""), nil)
	defer directAgent.Close()
	c0, _ := directAgent.Dial(context.Background())
	c0.Close()
	p := newAgentDir(b, false)
	ag, _ := upstream.New("unix:"+p.sock, p.command(bin, ""), nil)
	defer ag.Close()
	up, _ := ag.Dial(context.Background())
	ln, _ := net.Listen("unix", filepath.Join(b.TempDir(), "x"))
	up.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			u, err := ag.Dial(context.Background())
			if err != nil {
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
	for b.Loop() {
		direct = append(direct, pingLatencies(b, d.sock, 1)...)
		proxied = append(proxied, pingLatencies(b, ln.Addr().String(), 1)...)
	}
	md, mp := median(direct), median(proxied)
	b.ReportMetric(float64((mp-md).Nanoseconds())/1e3, "added-µs/req")
	b.ReportMetric(float64(md.Nanoseconds())/1e3, "direct-µs/req")
}
