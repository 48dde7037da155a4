package main

import (
	"bytes"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"strconv"
	"testing"
	"time"
)

func TestLimitLiveMemoryLeavesTheUsersLimit(t *testing.T) {
	old := debug.SetMemoryLimit(-1)
	defer debug.SetMemoryLimit(old)
	limitLiveMemory(func(string) string { return "1GiB" })()
	if debug.SetMemoryLimit(-1) != old {
		t.Error("GOMEMLIMIT set: the limit changed")
	}
	restore := limitLiveMemory(func(string) string { return "" })
	if debug.SetMemoryLimit(-1) != liveMemoryLimit {
		t.Error("GOMEMLIMIT unset: the live limit is not set")
	}
	restore()
	if debug.SetMemoryLimit(-1) != old {
		t.Error("the limit is not put back")
	}
}

// peakRSS is a process's peak resident set (VmHWM), in bytes.
func peakRSS(t *testing.T, pid int) int64 {
	t.Helper()
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`VmHWM:\s+(\d+) kB`).FindSubmatch(data)
	if m == nil {
		t.Fatalf("no VmHWM in /proc/%d/status", pid)
	}
	kb, _ := strconv.ParseInt(string(m[1]), 10, 64)
	return kb << 10
}

// A client that sends 200 MB to serve without ever ending a token (and
// reads nothing) is answered as qemu-ga answers it, and costs the real
// process less than 256 MB resident: one token's buffer, the link's held
// bytes, and the collector's headroom kept down by the live memory limit
// (without it, 340 MB).
func TestServeUnderAFloodStaysUnder256MB(t *testing.T) {
	if testing.Short() {
		t.Skip("sends 200 MB through serve")
	}
	dir := t.TempDir()
	sc := writeFile(t, dir, "s.yaml", "version: 1\nname: flood\nsteps:\n  - send: guest-ping\n")
	sock := filepath.Join(dir, "s.sock")
	cmd := exec.Command("qgasim", "serve", sc, "--listen", "unix:"+sock)
	cmd.Env = append(os.Environ(), "GOMEMLIMIT=")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		_ = cmd.Process.Signal(os.Interrupt)
		_ = cmd.Wait()
	}()
	var c net.Conn
	var err error
	for range 100 {
		if c, err = net.Dial("unix", sock); err == nil {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("no socket: %v\n%s", err, stderr.String())
	}
	defer c.Close()
	chunk := bytes.Repeat([]byte("a"), 1<<20)
	// Past 64 MiB the token is at its most and the link holds what it
	// can: the memory is at its steady state well before 200 MB. The
	// deadline is for a loaded machine (serve takes some 50 MB/s alone).
	_ = c.SetWriteDeadline(time.Now().Add(4 * time.Minute))
	sent := 0
	for sent < 200<<20 {
		n, err := c.Write(chunk)
		sent += n
		if err != nil {
			t.Fatalf("after %d MB: %v", sent>>20, err)
		}
	}
	rss := peakRSS(t, cmd.Process.Pid)
	t.Logf("200 MB sent: peak resident %d MB", rss>>20)
	if rss > 256<<20 {
		t.Errorf("serve reached %d MB resident under a flood, want at most 256", rss>>20)
	}
}
