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
	stderr        *os.File // where the agent's output goes (nil: discarded)

	mu   sync.Mutex
	cmd  *exec.Cmd
	done chan struct{} // closed when cmd has exited
}

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
	a := &Agent{network: network, addr: addr, stderr: stderr}
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

// Dial connects, starting the agent first if it is managed and not running.
func (a *Agent) Dial(ctx context.Context) (net.Conn, error) {
	if err := a.ensure(); err != nil {
		return nil, err
	}
	var d net.Dialer
	for {
		c, err := d.DialContext(ctx, a.network, a.addr)
		if err == nil {
			return c, nil
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if a.exited() {
			return nil, fmt.Errorf("the agent exited before it listened on %s: %w", a.addr, err)
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
	}
	if err := spawn(cmd); err != nil {
		return fmt.Errorf("start the agent: %w", err)
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	a.cmd, a.done = cmd, done
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

func (a *Agent) exited() bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.cmd == nil {
		return false
	}
	select {
	case <-a.done:
		return true
	default:
		return false
	}
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
