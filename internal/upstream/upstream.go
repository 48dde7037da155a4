// Package upstream reaches a real qemu-ga for a proxy session (sim/live):
// a socket to dial (a VM's org.qemu.guest_agent.0 chardev, or qemu-ga -m
// unix-listen), and optionally the agent process itself, which it starts
// kills and signals.
//
// The contract: Dial connects, retrying while nothing listens yet (an agent
// starting up, a VM booting) until its context ends; with a command it
// first starts the agent when none runs. Kill sends SIGKILL to the process
// group of the agent it started and waits for it to end, so that the next
// Dial starts a new process; without a command Kill does nothing and
// reports false. Signal sends SIGSTOP, SIGCONT or SIGTERM to that process
// group. Close kills what it started; if qgasim itself is killed, the
// kernel kills the agent (its parent-death signal). Nothing else is
// touched: the socket file is the agent's.
//
// A managed agent that cannot be started, or exits before it ever
// listened, is a mistake in its command line, not a guest that is slow to
// come: Failed then tells it once, with the exit status and the end of
// the agent's output, so that a proxy stops instead of starting it ten
// times a second. An unmanaged address that nothing listens on makes Dial
// give up after a second with the dial's error, so that the caller can say
// what it waits for.
package upstream

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Agent is a real agent behind an address, and maybe its process.
type Agent struct {
	network, addr string
	argv          []string
	stderr        *os.File // where the agent's output goes (nil: its end is kept in tail)
	tail          tailBuf

	mu      sync.Mutex
	cmd     *exec.Cmd
	done    chan struct{} // closed when cmd has exited
	exit    *error        // cmd.Wait's result, written before done is closed
	reached bool          // a Dial has connected once
	failed  chan error    // Failed
	fail    sync.Once
}

// unmanagedPatience is how long Dial retries an address no process of its
// own will come to listen on before it returns the error.
const unmanagedPatience = time.Second

// ParseAddr reads unix:PATH or tcp:HOST:PORT.
func ParseAddr(s string) (network, addr string, err error) {
	network, addr, ok := strings.Cut(s, ":")
	if !ok || addr == "" || (network != "unix" && network != "tcp") {
		return "", "", fmt.Errorf("address %q: want unix:PATH or tcp:HOST:PORT", s)
	}
	return network, addr, nil
}

// New returns the agent at address (unix:PATH or tcp:HOST:PORT). command,
// if not empty, is the agent's command line (words split as a shell would
// split plain words and quotes, without running a shell); stderr receives
// its output.
func New(address, command string, stderr *os.File) (*Agent, error) {
	network, addr, err := ParseAddr(address)
	if err != nil {
		return nil, err
	}
	a := &Agent{network: network, addr: addr, stderr: stderr, failed: make(chan error, 1)}
	if command != "" {
		if a.argv, err = SplitWords(command); err != nil {
			return nil, fmt.Errorf("agent command: %w", err)
		}
		if len(a.argv) == 0 {
			return nil, errors.New("agent command: empty")
		}
	}
	return a, nil
}

// Managed reports whether the agent's process is started by this Agent.
func (a *Agent) Managed() bool { return len(a.argv) > 0 }

// Failed receives, once, why a managed agent could not be started the
// first time (it could not be run, or it exited before it ever listened).
func (a *Agent) Failed() <-chan error { return a.failed }

// failedFirst reports err on Failed if no Dial has connected yet.
func (a *Agent) failedFirst(err error) error {
	a.mu.Lock()
	first := !a.reached
	a.mu.Unlock()
	if first {
		a.fail.Do(func() { a.failed <- err })
	}
	return err
}

// Dial connects, starting the agent first if it is managed and not running.
func (a *Agent) Dial(ctx context.Context) (net.Conn, error) {
	if err := a.ensure(); err != nil {
		return nil, a.failedFirst(err)
	}
	var d net.Dialer
	start := time.Now()
	for {
		c, err := d.DialContext(ctx, a.network, a.addr)
		if err == nil {
			a.mu.Lock()
			a.reached = true
			a.mu.Unlock()
			return c, nil
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if exit, ok := a.exitStatus(); ok {
			return nil, a.failedFirst(fmt.Errorf("the agent (%s) exited (%v) before it listened on %s%s", a.argv[0], exit, a.addr, a.output()))
		}
		if !a.Managed() && time.Since(start) > unmanagedPatience {
			return nil, err
		}
		t := time.NewTimer(5 * time.Millisecond)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return nil, ctx.Err()
		}
	}
}

// ensure starts the managed agent when none runs.
func (a *Agent) ensure() error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if len(a.argv) == 0 {
		return nil
	}
	if a.cmd != nil {
		select {
		case <-a.done:
			a.cmd = nil // it exited: start a new one
		default:
			return nil
		}
	}
	cmd := exec.Command(a.argv[0], a.argv[1:]...)
	// Its own process group, so that Kill reaches what it started; and
	// SIGKILL when qgasim dies, however it dies (see spawn).
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if a.stderr != nil {
		cmd.Stdout, cmd.Stderr = a.stderr, a.stderr
	} else {
		a.tail.reset()
		cmd.Stdout, cmd.Stderr = &a.tail, &a.tail
		// Through a pipe: a child of the agent that keeps it open must
		// not keep Wait (and so Kill) waiting.
		cmd.WaitDelay = time.Second
	}
	if err := spawn(cmd); err != nil {
		return fmt.Errorf("start the agent: %w", err)
	}
	done, exit := make(chan struct{}), new(error)
	go func() { *exit = cmd.Wait(); close(done) }()
	a.cmd, a.done, a.exit = cmd, done, exit
	return nil
}

// PID is the managed agent's process id, 0 when none runs.
func (a *Agent) PID() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.cmd == nil || a.cmd.Process == nil {
		return 0
	}
	return a.cmd.Process.Pid
}

// exitStatus is how the managed agent ended, if it has.
func (a *Agent) exitStatus() (string, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.cmd == nil {
		return "", false
	}
	select {
	case <-a.done:
	default:
		return "", false
	}
	if *a.exit == nil {
		return "exit status 0", true
	}
	return (*a.exit).Error(), true
}

// output says where the agent's output is, or quotes its end.
func (a *Agent) output() string {
	if a.stderr != nil {
		return "; its output is in " + a.stderr.Name()
	}
	if t := a.tail.String(); t != "" {
		return "; it said:\n" + t
	}
	return "; it wrote nothing"
}

// tailBuf keeps the last tailSize bytes written to it: the end of an
// agent's output, for the error that says why it did not start.
type tailBuf struct {
	mu  sync.Mutex
	buf []byte
}

const tailSize = 2 << 10

func (t *tailBuf) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, p...)
	if len(t.buf) > tailSize {
		t.buf = append(t.buf[:0], t.buf[len(t.buf)-tailSize:]...)
	}
	return len(p), nil
}

func (t *tailBuf) reset() {
	t.mu.Lock()
	t.buf = t.buf[:0]
	t.mu.Unlock()
}

// String is the kept output, each line indented, without a last newline.
func (t *tailBuf) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	s := strings.TrimRight(string(t.buf), "\n")
	if s == "" {
		return ""
	}
	return "  " + strings.ReplaceAll(s, "\n", "\n  ")
}

// The managed agent must not outlive qgasim: a SIGKILLed proxy cannot kill
// it, and it would go on holding its socket and state directory. The
// kernel's parent-death signal (Pdeathsig) does it, but it fires when the
// thread that started the child ends, not the process, and Go ends and
// reuses threads as it likes. So every agent is started from one goroutine
// locked to its thread for the life of the process: that thread ends only
// when qgasim does.
var (
	spawnOnce sync.Once
	spawnReq  chan spawnCall
)

type spawnCall struct {
	cmd *exec.Cmd
	err chan error
}

func spawn(cmd *exec.Cmd) error {
	spawnOnce.Do(func() {
		spawnReq = make(chan spawnCall)
		go func() {
			runtime.LockOSThread() // never unlocked: the thread lives as long as the process
			for c := range spawnReq {
				c.err <- c.cmd.Start()
			}
		}()
	})
	c := spawnCall{cmd: cmd, err: make(chan error, 1)}
	spawnReq <- c
	return <-c.err
}

// Kill kills the managed agent's process group with SIGKILL and waits for
// it; it reports false (and does nothing) when no process is managed.
func (a *Agent) Kill() bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	if len(a.argv) == 0 {
		return false
	}
	if a.cmd != nil {
		_ = syscall.Kill(-a.cmd.Process.Pid, syscall.SIGKILL)
		<-a.done
		a.cmd = nil
	}
	return true
}

// Signal sends sig to the managed agent's process group (SIGSTOP, SIGCONT,
// SIGTERM) and does not wait; it reports false (and does nothing) when no
// process is managed. An agent that exits on it is started again by the
// next Dial.
func (a *Agent) Signal(sig syscall.Signal) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	if len(a.argv) == 0 {
		return false
	}
	if a.cmd != nil {
		select {
		case <-a.done:
		default:
			_ = syscall.Kill(-a.cmd.Process.Pid, sig)
		}
	}
	return true
}

// Close kills the managed agent, if any.
func (a *Agent) Close() error {
	a.Kill()
	return nil
}

// SplitWords splits a command line into words: blanks separate words,
// single quotes keep everything, double quotes keep everything but \" and
// \\, a backslash outside quotes escapes the next character. No variables,
// globs or other shell syntax.
func SplitWords(s string) ([]string, error) {
	var words []string
	var cur []byte
	in := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n':
			if in {
				words = append(words, string(cur))
				cur, in = cur[:0], false
			}
		case c == '\'':
			j := strings.IndexByte(s[i+1:], '\'')
			if j < 0 {
				return nil, fmt.Errorf("unterminated ' at %d", i+1)
			}
			cur, in = append(cur, s[i+1:i+1+j]...), true
			i += j + 1
		case c == '"':
			in = true
			i++
			for ; i < len(s) && s[i] != '"'; i++ {
				if s[i] == '\\' && i+1 < len(s) && (s[i+1] == '"' || s[i+1] == '\\') {
					i++
				}
				cur = append(cur, s[i])
			}
			if i >= len(s) {
				return nil, errors.New(`unterminated "`)
			}
		case c == '\\' && i+1 < len(s):
			i++
			cur, in = append(cur, s[i]), true
		default:
			cur, in = append(cur, c), true
		}
	}
	if in {
		words = append(words, string(cur))
	}
	return words, nil
}
