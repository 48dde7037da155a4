// Package realqga starts the real qemu-ga 7.2 for tests that compare the
// simulated agent with it: `qemu-ga -m unix-listen -p SOCK -t STATEDIR` in
// a temporary directory, killed when the test ends. Where qemu-ga is not
// installed the test fails in CI (CI=true) and is skipped elsewhere.
//
// The agent runs as whoever runs the tests, often root: callers must never
// send it a command that acts on the machine (see sim/agent's harness).
package realqga

import (
	"bytes"
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"
)

// InstallHint says how to get the real agent.
const InstallHint = "the differential tests need the real agent: apt-get install -y qemu-guest-agent"

// Path finds the real agent, or fails (CI) or skips the test.
func Path(t testing.TB) string {
	t.Helper()
	if p, err := exec.LookPath("qemu-ga"); err == nil {
		return p
	}
	for _, p := range []string{"/usr/sbin/qemu-ga", "/usr/bin/qemu-ga"} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("qemu-ga not found; " + InstallHint)
	}
	t.Skip("qemu-ga not found; " + InstallHint)
	return ""
}

// Options start an agent.
type Options struct {
	Blocked string   // -b list
	Frozen  bool     // qga.state.isfrozen present at start
	Env     []string // added to the environment (QGA_OS_RELEASE=...)
	Args    []string // more options
}

// Agent is one qemu-ga process with a fresh state directory.
type Agent struct {
	Cmd      *exec.Cmd
	Dir      string // its working directory (relative guest paths land here)
	Sock     string
	StateDir string
	stderr   Buffer
	exited   chan struct{}
}

// Buffer collects a process's output while it runs: safe to read while
// the process writes.
type Buffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *Buffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *Buffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// Start starts qemu-ga in a new temporary directory (not t.TempDir: the
// socket path must stay short). It is killed with SIGKILL when the test
// ends (a frozen agent ignores SIGTERM).
func Start(t testing.TB, bin string, o Options) *Agent {
	t.Helper()
	dir, err := os.MkdirTemp("", "qga")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	state := filepath.Join(dir, "state")
	if err := os.Mkdir(state, 0o700); err != nil {
		t.Fatal(err)
	}
	if o.Frozen {
		if err := os.WriteFile(filepath.Join(state, "qga.state.isfrozen"), nil, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	r := &Agent{Dir: dir, Sock: filepath.Join(dir, "s"), StateDir: state, exited: make(chan struct{})}
	args := []string{"-m", "unix-listen", "-p", r.Sock, "-t", state, "-f", filepath.Join(dir, "pid")}
	if o.Blocked != "" {
		args = append(args, "-b", o.Blocked)
	}
	r.Cmd = exec.Command(bin, append(args, o.Args...)...)
	r.Cmd.Dir = dir
	r.Cmd.Env = append(os.Environ(), o.Env...)
	r.Cmd.Stderr = &r.stderr
	r.Cmd.Stdout = &r.stderr
	if err := r.Cmd.Start(); err != nil {
		t.Fatalf("start qemu-ga: %v", err)
	}
	go func() { _ = r.Cmd.Wait(); close(r.exited) }()
	t.Cleanup(func() {
		_ = r.Cmd.Process.Kill()
		<-r.exited
	})
	return r
}

// Log is what the agent wrote to stderr so far.
func (r *Agent) Log() string { return r.stderr.String() }

// Exited is closed when the process has exited.
func (r *Agent) Exited() <-chan struct{} { return r.exited }

// Dial connects, retrying while the agent starts up.
func (r *Agent) Dial(t testing.TB) net.Conn {
	t.Helper()
	c, err := DialRetry(r.Sock, 10*time.Second, r.exited)
	if err != nil {
		t.Fatalf("cannot connect to qemu-ga: %v; log: %s", err, r.Log())
	}
	return c
}

// DialRetry connects to a unix socket, retrying while nothing listens there
// yet, until timeout or until exited is closed.
func DialRetry(path string, timeout time.Duration, exited <-chan struct{}) (net.Conn, error) {
	deadline := time.Now().Add(timeout)
	for {
		c, err := net.Dial("unix", path)
		if err == nil {
			return c, nil
		}
		if !errors.Is(err, syscall.ENOENT) && !errors.Is(err, syscall.ECONNREFUSED) {
			return nil, err
		}
		select {
		case <-exited:
			return nil, errors.New("the agent exited")
		default:
		}
		if time.Now().After(deadline) {
			return nil, err
		}
		time.Sleep(2 * time.Millisecond)
	}
}
