package agentserver

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/qgasim/qgasim/internal/listen"
	"github.com/qgasim/qgasim/internal/realqga"
	"github.com/qgasim/qgasim/sim/agent"
)

// target is an agent on a unix socket: the real qemu-ga or the simulated
// one served by this package. The behaviour tests run on both.
type target struct {
	name string
	sock string
	done <-chan error // the simulated server's end (nil for the real agent)
}

func realTarget(t *testing.T) target {
	a := realqga.Start(t, realqga.Path(t), realqga.Options{})
	c := a.Dial(t) // wait until it listens
	c.Close()
	return target{name: "qemu-ga", sock: a.Sock}
}

func simTarget(t *testing.T, cfg agent.Config) target {
	dir, err := os.MkdirTemp("", "qgs")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	sock := filepath.Join(dir, "s")
	ln, err := listen.Listen("unix:"+sock, listen.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	finished := make(chan struct{})
	go func() {
		done <- New(agent.New(cfg, nil), nil, nil).Serve(ctx, ln)
		ln.Close()
		close(finished)
	}()
	t.Cleanup(func() { cancel(); <-finished })
	return target{name: "qgasim", sock: sock, done: done}
}

func both(t *testing.T, f func(t *testing.T, tg target)) {
	t.Run("qemu-ga", func(t *testing.T) { f(t, realTarget(t)) })
	t.Run("qgasim", func(t *testing.T) { f(t, simTarget(t, agent.Config{})) })
}

func dial(t *testing.T, sock string) net.Conn {
	t.Helper()
	c, err := net.Dial("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// readFor returns what arrives on c within d (less if the peer closes).
func readFor(c net.Conn, d time.Duration) ([]byte, error) {
	return readLines(c, d, -1)
}

// readLines returns what arrives on c until it has n lines (n < 0: until
// the time is up), or within d, or until the peer closes.
func readLines(c net.Conn, d time.Duration, n int) ([]byte, error) {
	c.SetReadDeadline(time.Now().Add(d))
	var out []byte
	buf := make([]byte, 4096)
	for n < 0 || bytes.Count(out, []byte("\n")) < n {
		k, err := c.Read(buf)
		out = append(out, buf[:k]...)
		if err != nil {
			if errors.Is(err, os.ErrDeadlineExceeded) {
				err = nil
			}
			return out, err
		}
	}
	return out, nil
}

func syncReq(id int) []byte {
	return []byte(fmt.Sprintf(`{"execute":"guest-sync","arguments":{"id":%d}}`, id))
}

// One client at a time: a second client connects but gets nothing while
// the first is served, then gets its reply; never the first one's.
func TestSecondClientWaits(t *testing.T) {
	both(t, func(t *testing.T, tg target) {
		c1 := dial(t, tg.sock)
		c1.Write(syncReq(1))
		if got, _ := readLines(c1, time.Second, 1); string(got) != "{\"return\": 1}\n" {
			t.Fatalf("first client: %q", got)
		}
		c2 := dial(t, tg.sock)
		c2.Write(syncReq(2))
		if got, _ := readFor(c2, 300*time.Millisecond); len(got) != 0 {
			t.Fatalf("second client served while the first is connected: %q", got)
		}
		c1.Write(syncReq(3))
		if got, _ := readLines(c1, time.Second, 1); string(got) != "{\"return\": 3}\n" {
			t.Fatalf("first client, again: %q", got)
		}
		c1.Close()
		if got, _ := readLines(c2, 2*time.Second, 1); string(got) != "{\"return\": 2}\n" {
			t.Fatalf("second client after the first closed: %q", got)
		}
	})
}

// A client that pipelined 72 KB and closed without reading: everything it
// sent is parsed (qemu-ga reads on after its writes fail), so the next
// client completes the request it left half written. The requests are
// guest-info, whose 4 KB replies fill the socket's buffer: the agent's
// writes block until the client closes, then fail.
func TestPipelinedThenClosed(t *testing.T) {
	var stream bytes.Buffer
	for stream.Len() < 72<<10 {
		stream.WriteString(`{"execute":"guest-info"}`)
	}
	stream.WriteString(`{"execute":"guest-sync","arguments":{"id":`)
	both(t, func(t *testing.T, tg target) {
		c1 := dial(t, tg.sock)
		if _, err := c1.Write(stream.Bytes()); err != nil {
			t.Fatal(err)
		}
		time.Sleep(200 * time.Millisecond)
		c1.Close()
		c2 := dial(t, tg.sock)
		c2.Write([]byte("77}}"))
		got, _ := readLines(c2, 3*time.Second, 1)
		if string(got) != "{\"return\": 77}\n" {
			t.Fatalf("next client: %q", got)
		}
	})
}

// The parser lives across clients: a half request is completed by the next.
func TestParserKeptAcrossClients(t *testing.T) {
	both(t, func(t *testing.T, tg target) {
		c1 := dial(t, tg.sock)
		c1.Write([]byte(`{"execute":"guest-sync","arguments":{"id":1}`))
		time.Sleep(100 * time.Millisecond)
		c1.Close()
		c2 := dial(t, tg.sock)
		c2.Write([]byte(`{"execute":"guest-ping"}`))
		if got, _ := readFor(c2, 300*time.Millisecond); len(got) != 0 {
			t.Fatalf("reply before the object closed: %q", got)
		}
		c2.Write([]byte(`}`))
		want := "{\"error\": {\"class\": \"GenericError\", \"desc\": \"JSON parse error, expected separator in dict\"}}\n"
		if got, _ := readLines(c2, time.Second, 1); string(got) != want {
			t.Fatalf("got %q", got)
		}
	})
}

// guest-shutdown ends the simulated agent: no reply, the client's
// connection closes, Serve returns ErrShutdown. (The real agent is not
// asked: it would power off the machine it runs on. qemu-ga answers
// nothing, runs shutdown -P +0, and goes on until the guest's shutdown
// stops it with SIGTERM; then the connection closes.)
func TestShutdownEndsTheAgent(t *testing.T) {
	tg := simTarget(t, agent.Config{})
	c := dial(t, tg.sock)
	c.Write([]byte(`{"execute":"guest-shutdown"}{"execute":"guest-ping"}`))
	got, err := readFor(c, 2*time.Second)
	if len(got) != 0 || err != io.EOF {
		t.Fatalf("after guest-shutdown: %q, %v; want nothing and the connection closed", got, err)
	}
	select {
	case err := <-tg.done:
		if !errors.Is(err, ErrShutdown) {
			t.Fatalf("Serve returned %v", err)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("Serve did not return")
	}
}

// A reboot closes the client and starts a new agent process: the handles
// are gone, the counter goes on.
func TestRebootRestartsTheAgent(t *testing.T) {
	tg := simTarget(t, agent.Config{Files: map[string][]byte{"/f": []byte("x")}})
	c := dial(t, tg.sock)
	c.Write([]byte(`{"execute":"guest-file-open","arguments":{"path":"/f"}}`))
	if got, _ := readLines(c, time.Second, 1); string(got) != "{\"return\": 1000}\n" {
		t.Fatalf("open: %q", got)
	}
	c.Write([]byte(`{"execute":"guest-shutdown","arguments":{"mode":"reboot"}}`))
	if got, err := readFor(c, 2*time.Second); len(got) != 0 || err != io.EOF {
		t.Fatalf("after the reboot: %q %v", got, err)
	}
	c2 := dial(t, tg.sock)
	c2.Write([]byte(`{"execute":"guest-file-read","arguments":{"handle":1000}}{"execute":"guest-file-open","arguments":{"path":"/f"}}`))
	want := "{\"error\": {\"class\": \"GenericError\", \"desc\": \"handle '1000' has not been found\"}}\n{\"return\": 1001}\n"
	if got, _ := readLines(c2, time.Second, 2); string(got) != want {
		t.Fatalf("after the reboot: %q", got)
	}
}

// countingWriter counts writes.
type countingWriter struct {
	bytes.Buffer
	writes int
}

func (w *countingWriter) Write(p []byte) (int, error) {
	w.writes++
	return w.Buffer.Write(p)
}

// The replies to one read go out in one write.
func TestRepliesOfOneReadInOneWrite(t *testing.T) {
	var in bytes.Buffer
	for i := 0; i < 50; i++ {
		in.Write(syncReq(i))
	}
	if in.Len() > readSize {
		t.Fatal("the input should fit one read")
	}
	var out countingWriter
	if err := New(agent.New(agent.Config{}, nil), nil, nil).ServeStream(&in, &out); err != nil {
		t.Fatal(err)
	}
	if out.writes != 1 || strings.Count(out.String(), "\n") != 50 {
		t.Fatalf("%d writes, %d replies", out.writes, strings.Count(out.String(), "\n"))
	}
}

// guest-get-time moves with the clock.
func TestTimeMoves(t *testing.T) {
	s := New(agent.New(agent.Config{BootEpoch: 1e18}, nil), nil, nil)
	var out bytes.Buffer
	s.ServeStream(strings.NewReader(`{"execute":"guest-get-time"}`), &out)
	time.Sleep(20 * time.Millisecond)
	s.ServeStream(strings.NewReader(`{"execute":"guest-get-time"}`), &out)
	var a, b int64
	fmt.Sscanf(out.String(), "{\"return\": %d}\n{\"return\": %d}\n", &a, &b)
	if a < 1e18 || b-a < int64(20*time.Millisecond) {
		t.Fatalf("times %d then %d", a, b)
	}
}

// The state directory keeps the handle counter and the frozen marker
// across agents.
func TestStateDir(t *testing.T) {
	dir := t.TempDir()
	run := func(req string) string {
		sd, p, err := OpenStateDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		New(agent.New(agent.Config{Files: map[string][]byte{"/f": nil}}, p), nil, sd).ServeStream(strings.NewReader(req), &out)
		return out.String()
	}
	run(`{"execute":"guest-file-open","arguments":{"path":"/f"}}{"execute":"guest-fsfreeze-freeze"}`)
	if b, _ := os.ReadFile(filepath.Join(dir, "qga.state")); string(b) != "[global]\nfd_counter=1001\n" {
		t.Fatalf("qga.state: %q", b)
	}
	if _, err := os.Stat(filepath.Join(dir, "qga.state.isfrozen")); err != nil {
		t.Fatal("no frozen marker")
	}
	got := run(`{"execute":"guest-fsfreeze-status"}{"execute":"guest-fsfreeze-thaw"}{"execute":"guest-file-open","arguments":{"path":"/f"}}`)
	if got != "{\"return\": \"frozen\"}\n{\"return\": 2}\n{\"return\": 1001}\n" {
		t.Fatalf("second agent: %q", got)
	}
	if _, err := os.Stat(filepath.Join(dir, "qga.state.isfrozen")); !errors.Is(err, os.ErrNotExist) {
		t.Fatal("the frozen marker stayed after the thaw")
	}
	os.WriteFile(filepath.Join(dir, "qga.state"), []byte("junk\n"), 0o600)
	if _, _, err := OpenStateDir(dir); err == nil || !strings.Contains(err.Error(), "qga.state") {
		t.Fatalf("a bad state file: %v", err)
	}
}

// A stop that comes while a silent client is being accepted ends Serve: the
// connection accepted in that moment is closed too, not served for ever.
func TestServeStopsWithAcceptedSilentClient(t *testing.T) {
	for i := 0; i < 200; i++ {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- New(agent.New(agent.Config{}, nil), nil, nil).Serve(ctx, ln) }()
		c, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		if i%2 == 1 {
			time.Sleep(time.Duration(i%7) * 50 * time.Microsecond)
		}
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("round %d: %v", i, err)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("round %d: Serve still running 5 s after the stop, with a silent client connected", i)
		}
		c.Close()
		ln.Close()
	}
}
