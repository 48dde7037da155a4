package main

import (
	"bytes"
	"errors"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/qgasim/qgasim/internal/realqga"
)

// qgasimCmd runs the qgasim command: the test binary itself, which acts as
// qgasim when started under that name (see TestMain in script_test.go).
func qgasimCmd(t testing.TB, args ...string) *exec.Cmd {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	return &exec.Cmd{Path: self, Args: append([]string{"qgasim"}, args...)}
}

// The README's example, and the bytes the real qemu-ga 7.2 writes for it
// (docs/protocol.md §6, checked by sim/agent's differential test
// ff-then-sync-delimited-one-write).
func TestAgentStdioREADMEExample(t *testing.T) {
	cmd := qgasimCmd(t, "agent", "--stdio")
	cmd.Stdin = bytes.NewReader([]byte("\xff{\"execute\":\"guest-sync-delimited\",\"arguments\":{\"id\":1234}}"))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("qgasim agent --stdio: %v\n%s", err, stderr.String())
	}
	want := "{\"error\": {\"class\": \"GenericError\", \"desc\": \"JSON parse error, stray '\\uFFFD'\"}}\n\xff{\"return\": 1234}\n"
	if string(out) != want {
		t.Errorf("got  %q\nwant %q", out, want)
	}
}

// At EOF the agent exits without answering an incomplete request, and a
// number waiting for its lookahead byte gets no reply either.
func TestAgentStdioIncompleteAtEOF(t *testing.T) {
	cmd := qgasimCmd(t, "agent", "--stdio")
	cmd.Stdin = bytes.NewReader([]byte(`{"execute":"guest-ping"}42{"execute":"gue`))
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	// 42 is ended by the '{' after it: "must be a JSON object".
	want := "{\"return\": {}}\n{\"error\": {\"class\": \"GenericError\", \"desc\": \"QMP input must be a JSON object\"}}\n"
	if string(out) != want {
		t.Errorf("got  %q\nwant %q", out, want)
	}
}

func TestAgentFlags(t *testing.T) {
	for _, args := range [][]string{
		{"agent"},
		{"agent", "--stdio", "--listen", "unix:/x"},
		{"agent", "--listen", "tcp:1234"},
		{"agent", "--stdio", "extra"},
	} {
		var stdout, stderr bytes.Buffer
		if code := run(args, &stdout, &stderr); code != exitBadInput {
			t.Errorf("%q: exit %d, want %d", args, code, exitBadInput)
		}
	}
}

// listening starts qgasim agent --listen on a new socket and waits for it.
func listening(t *testing.T, extra ...string) (*exec.Cmd, string, <-chan error) {
	t.Helper()
	sock := filepath.Join(t.TempDir(), "qga.sock")
	cmd := qgasimCmd(t, append([]string{"agent", "--listen", "unix:" + sock}, extra...)...)
	var stderr realqga.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// The exit status is sent once and then the channel is closed, so
	// that the cleanup can wait too.
	done := make(chan error, 1)
	go func() { done <- cmd.Wait(); close(done) }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		for range done {
		}
	})
	deadline := time.Now().Add(10 * time.Second)
	for {
		if _, err := os.Stat(sock); err == nil {
			return cmd, sock, done
		}
		if time.Now().After(deadline) {
			t.Fatalf("socket never appeared; stderr: %s", stderr.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func dial(t *testing.T, sock string) net.Conn {
	t.Helper()
	// The socket file appears when it is bound, a moment before it listens:
	// a connect in between is refused. Try again for a little while.
	var c net.Conn
	var err error
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		if c, err = net.Dial("unix", sock); err == nil || !errors.Is(err, syscall.ECONNREFUSED) || time.Now().After(deadline) {
			break
		}
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// readFor returns what arrives on c within d.
func readFor(c net.Conn, d time.Duration) []byte {
	_ = c.SetReadDeadline(time.Now().Add(d))
	var out []byte
	buf := make([]byte, 4096)
	for {
		n, err := c.Read(buf)
		out = append(out, buf[:n]...)
		if err != nil {
			return out
		}
	}
}

// readN reads exactly n bytes or fails after a timeout.
func readN(t *testing.T, c net.Conn, n int) []byte {
	t.Helper()
	_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
	buf := make([]byte, n)
	if _, err := io.ReadFull(c, buf); err != nil {
		t.Fatalf("read %d bytes: %v (got %q)", n, err, buf)
	}
	return buf
}

func TestAgentListenSocketMode(t *testing.T) {
	_, sock, _ := listening(t)
	fi, err := os.Stat(sock)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode()&os.ModeSocket == 0 || fi.Mode().Perm() != 0o600 {
		t.Errorf("socket mode %v, want a socket with 0600", fi.Mode())
	}
}

// The parser lives across clients, as qemu-ga's does: a request left
// incomplete by one client is continued by the next (docs/protocol.md §2.5).
func TestAgentListenParserKeptAcrossClients(t *testing.T) {
	_, sock, _ := listening(t)
	c1 := dial(t, sock)
	if _, err := c1.Write([]byte(`{"execute":"guest-sync","arguments":{"id":1}`)); err != nil {
		t.Fatal(err)
	}
	if got := readFor(c1, 100*time.Millisecond); len(got) != 0 {
		t.Fatalf("reply to an incomplete request: %q", got)
	}
	c1.Close()
	c2 := dial(t, sock)
	if _, err := c2.Write([]byte(`{"execute":"guest-ping"}`)); err != nil {
		t.Fatal(err)
	}
	if got := readFor(c2, 100*time.Millisecond); len(got) != 0 {
		t.Fatalf("the ping closed nothing yet, but got %q", got)
	}
	if _, err := c2.Write([]byte(`}`)); err != nil {
		t.Fatal(err)
	}
	want := `{"error": {"class": "GenericError", "desc": "JSON parse error, expected separator in dict"}}` + "\n"
	if got := readN(t, c2, len(want)); string(got) != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// One client at a time: a second client is accepted by the kernel but
// served only when the first has gone.
func TestAgentListenOneClientAtATime(t *testing.T) {
	_, sock, _ := listening(t)
	c1 := dial(t, sock)
	ping := []byte(`{"execute":"guest-ping"}`)
	want := `{"return": {}}` + "\n"
	if _, err := c1.Write(ping); err != nil {
		t.Fatal(err)
	}
	if got := readN(t, c1, len(want)); string(got) != want {
		t.Fatalf("first client: %q", got)
	}
	c2 := dial(t, sock)
	if _, err := c2.Write([]byte(`{"execute":"guest-sync","arguments":{"id":2}}`)); err != nil {
		t.Fatal(err)
	}
	if got := readFor(c2, 200*time.Millisecond); len(got) != 0 {
		t.Fatalf("second client served while the first is connected: %q", got)
	}
	c1.Close()
	want2 := `{"return": 2}` + "\n"
	if got := readN(t, c2, len(want2)); string(got) != want2 {
		t.Errorf("second client after the first left: %q, want %q", got, want2)
	}
}

// SIGINT, SIGTERM and SIGHUP stop the agent, which removes its socket.
func TestAgentListenSignalRemovesSocket(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP} {
		t.Run(sig.String(), func(t *testing.T) {
			cmd, sock, done := listening(t)
			c := dial(t, sock) // a connected client must not keep it alive
			_ = c
			if err := cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("exit after %v: %v", sig, err)
				}
			case <-time.After(10 * time.Second):
				t.Fatalf("still running 10 s after %v", sig)
			}
			if _, err := os.Stat(sock); !os.IsNotExist(err) {
				t.Errorf("socket still there after %v: %v", sig, err)
			}
		})
	}
}

// waitExit waits for the command's end.
func waitExit(t *testing.T, done <-chan error, what string) error {
	t.Helper()
	select {
	case err := <-done:
		return err
	case <-time.After(10 * time.Second):
		t.Fatalf("still running 10 s after %s", what)
	}
	return nil
}

// guest-shutdown ends the agent: no reply, the connection closes, the
// process exits 0 and removes its socket.
func TestAgentListenGuestShutdown(t *testing.T) {
	_, sock, done := listening(t)
	c := dial(t, sock)
	if _, err := c.Write([]byte(`{"execute":"guest-shutdown","arguments":{"mode":"halt"}}{"execute":"guest-ping"}`)); err != nil {
		t.Fatal(err)
	}
	if got := readFor(c, 2*time.Second); len(got) != 0 {
		t.Fatalf("reply after guest-shutdown: %q", got)
	}
	if err := waitExit(t, done, "guest-shutdown"); err != nil {
		t.Fatalf("exit: %v", err)
	}
	if _, err := os.Stat(sock); !os.IsNotExist(err) {
		t.Errorf("socket still there: %v", err)
	}
}

// A second agent on the path of a live one is refused, and the first
// keeps its socket; when the first one has stopped, its path is free.
func TestAgentListenRefusesALiveSocket(t *testing.T) {
	first, sock, done := listening(t)
	second := qgasimCmd(t, "agent", "--listen", "unix:"+sock)
	out, err := second.CombinedOutput()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != exitBadInput || !strings.Contains(string(out), "live socket") {
		t.Fatalf("second agent: %v\n%s", err, out)
	}
	c := dial(t, sock)
	c.Write([]byte(`{"execute":"guest-ping"}`))
	if got := readN(t, c, len("{\"return\": {}}\n")); string(got) != "{\"return\": {}}\n" {
		t.Fatalf("first agent after the refused second: %q", got)
	}
	first.Process.Signal(syscall.SIGTERM)
	waitExit(t, done, "SIGTERM")
}

// The state directory carries the handle counter and the frozen state to
// the next agent, as qemu-ga's does.
func TestAgentStateDirAcrossRuns(t *testing.T) {
	state := t.TempDir()
	run := func(in string) string {
		cmd := qgasimCmd(t, "agent", "--stdio", "-t", state)
		cmd.Stdin = strings.NewReader(in)
		out, err := cmd.Output()
		if err != nil {
			t.Fatal(err)
		}
		return string(out)
	}
	run(`{"execute":"guest-file-open","arguments":{"path":"/etc/hostname"}}{"execute":"guest-fsfreeze-freeze"}`)
	got := run(`{"execute":"guest-ping"}{"execute":"guest-get-time"}{"execute":"guest-fsfreeze-thaw"}{"execute":"guest-file-open","arguments":{"path":"/etc/hostname"}}`)
	want := "{\"return\": {}}\n{\"error\": {\"class\": \"CommandNotFound\", \"desc\": \"Command guest-get-time has been disabled: the agent is in frozen state\"}}\n{\"return\": 2}\n{\"return\": 1001}\n"
	if got != want {
		t.Fatalf("second run:\n got %q\nwant %q", got, want)
	}
}
