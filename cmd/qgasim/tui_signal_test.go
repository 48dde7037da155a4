package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/creack/pty"
	"github.com/spf13/cobra"
	"golang.org/x/sys/unix"

	"github.com/qgasim/qgasim/ui"
	"github.com/qgasim/qgasim/ui/model"
)

// panickyTUI is `qgasim tui stale-reply-virtio` whose w panics: a bug
// inside the UI's event loop, for TestTUIPanicRestoresTerminal.
func panickyTUI() int {
	c := &cobra.Command{Use: "qgasim-tui-panic", SilenceErrors: true, SilenceUsage: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			_, sc, cfg, ok := loadScenario("stale-reply-virtio", nil, cmd.ErrOrStderr())
			if !ok {
				return exitStatus(exitBadInput)
			}
			info := model.Info{Scenario: sc.Name, Description: sc.Description, Seed: cfg.Seed,
				Transport: sc.Transport, Strategy: sc.Client.Strategy}
			u, err := ui.New(ui.Options{Config: cfg, Info: info,
				Save: func(ui.Recording) (ui.Saved, error) { panic("a bug, for the test") }})
			if err != nil {
				return err
			}
			return showTUI(cmd, u)
		}}
	c.SetArgs(nil)
	cmd, err := c.ExecuteContextC(context.Background())
	return exitCode(cmd, err, os.Stderr)
}

// Sequences tcell writes for xterm: entering and leaving the alternate
// screen, and showing the cursor again.
const (
	enterAltScreen = "\x1b[?1049h"
	leaveAltScreen = "\x1b[?1049l"
	showCursor     = "\x1b[?25h"
)

// ptyProcess is a process on the slave side of a new pseudo-terminal, as
// in a terminal emulator: its own session, the tty its controlling
// terminal and its standard streams.
type ptyProcess struct {
	cmd    *exec.Cmd
	master *os.File // the terminal emulator's side: keys in, screen out
	tty    *os.File // the slave, kept open to read its modes
	mu     sync.Mutex
	out    bytes.Buffer // everything the process wrote to the terminal
	read   chan struct{}
	done   chan error
}

func startInPTY(t *testing.T, name string, args ...string) *ptyProcess {
	t.Helper()
	master, tty, err := pty.Open()
	if err != nil {
		t.Fatal(err)
	}
	if err := pty.Setsize(master, &pty.Winsize{Rows: 24, Cols: 80}); err != nil {
		t.Fatal(err)
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := &exec.Cmd{Path: self, Args: append([]string{name}, args...), Dir: t.TempDir(),
		Env:   append(os.Environ(), "TERM=xterm"),
		Stdin: tty, Stdout: tty, Stderr: tty,
		SysProcAttr: &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0}}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &ptyProcess{cmd: cmd, master: master, tty: tty, read: make(chan struct{}), done: make(chan error, 1)}
	go func() {
		defer close(p.read)
		buf := make([]byte, 4096)
		for {
			n, err := master.Read(buf)
			p.mu.Lock()
			p.out.Write(buf[:n])
			p.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	go func() { p.done <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		tty.Close()
		master.Close()
		<-p.read
	})
	return p
}

func (p *ptyProcess) output() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.out.String()
}

// tail is the end of s, for messages.
func tail(s string) string {
	if len(s) > 400 {
		return "..." + s[len(s)-400:]
	}
	return s
}

func (p *ptyProcess) waitFor(t *testing.T, what string) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if strings.Contains(p.output(), what) {
			return
		}
	}
	t.Fatalf("%q never came; the terminal got %q", what, tail(p.output()))
}

// cooked tells whether the terminal is in its usual line mode: lines
// edited by the kernel and echoed.
func (p *ptyProcess) cooked(t *testing.T) bool {
	t.Helper()
	tio, err := unix.IoctlGetTermios(int(p.tty.Fd()), unix.TCGETS)
	if err != nil {
		t.Fatal(err)
	}
	return tio.Lflag&unix.ICANON != 0 && tio.Lflag&unix.ECHO != 0
}

// exited waits for the process and returns its exit status.
func (p *ptyProcess) exited(t *testing.T) int {
	t.Helper()
	select {
	case err := <-p.done:
		var ee *exec.ExitError
		if err != nil && !errors.As(err, &ee) {
			t.Fatal(err)
		}
		return p.cmd.ProcessState.ExitCode()
	case <-time.After(20 * time.Second):
		t.Fatalf("still running 20 s later; the terminal got %q", tail(p.output()))
		return -1
	}
}

// afterEnter is what the terminal got after the last time it entered the
// alternate screen.
func (p *ptyProcess) afterEnter() string {
	out := p.output()
	return out[strings.LastIndex(out, enterAltScreen):]
}

// restored checks that the terminal is back as it was: the alternate
// screen left after it was entered, the cursor shown, cooked mode.
func (p *ptyProcess) restored(t *testing.T) {
	t.Helper()
	// Let the last bytes reach the reader.
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if strings.Contains(p.afterEnter(), leaveAltScreen) {
			break
		}
	}
	rest := p.afterEnter()
	if !strings.Contains(rest, leaveAltScreen) || !strings.Contains(rest, showCursor) {
		t.Errorf("the terminal was not given back: after entering the alternate screen it got\n%q", tail(rest))
	}
	if !p.cooked(t) {
		t.Error("the terminal is left in raw mode")
	}
}

// SIGTERM, SIGHUP and SIGINT to a TUI on a real terminal: it gives the
// terminal back (leaves the alternate screen, cooked mode) and exits
// 128+signal.
func TestTUISignalsRestoreTerminal(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGHUP, syscall.SIGINT} {
		t.Run(sig.String(), func(t *testing.T) {
			p := startInPTY(t, "qgasim", "tui", "stale-reply-virtio", "--log", os.DevNull)
			p.waitFor(t, enterAltScreen)
			p.waitFor(t, "paused")
			if p.cooked(t) {
				t.Fatal("the TUI runs, but the terminal is not in raw mode: the test would prove nothing")
			}
			if err := p.cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			if code := p.exited(t); code != 128+int(sig) {
				t.Errorf("exit status %d after %v, want %d", code, sig, 128+int(sig))
			}
			p.restored(t)
			p.waitFor(t, "qgasim tui: stopped by "+sig.String())
		})
	}
}

// A panic inside the UI's event loop: the terminal is given back and the
// panic is reported on it, exit 2.
func TestTUIPanicRestoresTerminal(t *testing.T) {
	p := startInPTY(t, "qgasim-tui-panic")
	p.waitFor(t, enterAltScreen)
	p.waitFor(t, "paused")
	// w calls Save, which panics.
	if _, err := p.master.Write([]byte("w")); err != nil {
		t.Fatal(err)
	}
	if code := p.exited(t); code != exitBadInput {
		t.Errorf("exit status %d after a panic, want %d", code, exitBadInput)
	}
	p.restored(t)
	p.waitFor(t, "a bug, for the test")
	rest := p.afterEnter()
	leave := strings.Index(rest, leaveAltScreen)
	if i := strings.Index(rest, "a bug, for the test"); i < 0 || i < leave {
		t.Errorf("the panic is not reported after the terminal is given back: %q", tail(rest))
	}
}
