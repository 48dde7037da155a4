package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// The listeners of serve and proxy, class by class (issue: never destroy
// what is not ours, let no one in). Each case runs the command as a real
// process (the test binary acting as qgasim), so that signals are real.

// qgasimProcess is `qgasim ARGS...` running in the background.
type qgasimProcess struct {
	cmd            *exec.Cmd
	mu             sync.Mutex
	stdout, stderr bytes.Buffer
	done           chan error
}

type lockedWriter struct {
	mu *sync.Mutex
	b  *bytes.Buffer
}

func (w lockedWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

func startQgasim(t *testing.T, args ...string) *qgasimProcess {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	p := &qgasimProcess{done: make(chan error, 1)}
	p.cmd = &exec.Cmd{Path: self, Args: append([]string{"qgasim"}, args...), Dir: t.TempDir(),
		Stdout: lockedWriter{&p.mu, &p.stdout}, Stderr: lockedWriter{&p.mu, &p.stderr}}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.done <- p.cmd.Wait() }()
	t.Cleanup(func() {
		_ = p.cmd.Process.Kill()
		<-p.done
		p.done <- nil
	})
	return p
}

func (p *qgasimProcess) output() (string, string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.stdout.String(), p.stderr.String()
}

// wait waits for the process to exit and returns its exit status.
func (p *qgasimProcess) wait(t *testing.T) int {
	t.Helper()
	select {
	case err := <-p.done:
		p.done <- err
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return ee.ExitCode()
		}
		if err != nil {
			t.Fatal(err)
		}
		return 0
	case <-time.After(30 * time.Second):
		out, errOut := p.output()
		t.Fatalf("qgasim %v did not exit:\n%s\n%s", p.cmd.Args[1:], out, errOut)
	}
	return -1
}

// dialRetry connects to network:addr, retrying while the server starts.
func dialRetry(t *testing.T, p *qgasimProcess, network, addr string) net.Conn {
	t.Helper()
	var err error
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		var c net.Conn
		if c, err = net.Dial(network, addr); err == nil {
			t.Cleanup(func() { c.Close() })
			return c
		}
		select {
		case <-p.done:
			out, errOut := p.output()
			t.Fatalf("qgasim exited before it listened:\n%s\n%s", out, errOut)
		default:
		}
	}
	t.Fatalf("connect %s: %v", addr, err)
	return nil
}

// liveListen is a live command (serve, or proxy in front of an agent) with
// its --listen address still to be given.
type liveListen struct {
	name string
	args func(t *testing.T) []string
}

// liveCommands are serve, and proxy in front of qgasim's own agent on a
// unix socket (a real agent process: what is behind does not matter to
// the listener).
func liveCommands() []liveListen {
	return []liveListen{
		{"serve", func(t *testing.T) []string { return []string{"serve", "handshake-guest-sync"} }},
		{"proxy", func(t *testing.T) []string {
			sock := filepath.Join(t.TempDir(), "agent.sock")
			startQgasim(t, "agent", "--listen", "unix:"+sock)
			return []string{"proxy", "handshake-guest-sync", "--connect", "unix:" + sock}
		}},
	}
}

// Something at the socket path that is not a socket is refused and left
// as it was; so is a live socket; a path too long for a socket is refused
// before anything is touched.
func TestLiveListenRefuses(t *testing.T) {
	for _, lc := range liveCommands() {
		t.Run(lc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			file := filepath.Join(dir, "file")
			os.WriteFile(file, []byte("precious"), 0o644)
			emptyDir := filepath.Join(dir, "dir")
			os.Mkdir(emptyDir, 0o755)
			link := filepath.Join(dir, "link")
			os.Symlink(file, link)
			liveSock := filepath.Join(dir, "live.sock")
			other, err := net.Listen("unix", liveSock)
			if err != nil {
				t.Fatal(err)
			}
			defer other.Close()
			long := filepath.Join(dir, strings.Repeat("d", 110))
			os.Mkdir(long, 0o755)
			longPath := filepath.Join(long, "s")
			os.WriteFile(longPath, []byte("x"), 0o644)
			base := lc.args(t)
			for _, c := range []struct{ path, want string }{
				{file, "is not a socket (a regular file); it is left alone"},
				{emptyDir, "is not a socket (a directory); it is left alone"},
				{link, "is not a socket (a symbolic link); it is left alone"},
				{liveSock, "is a live socket: something is listening on it"},
				{longPath, "more than the 107 a socket address holds"},
			} {
				p := startQgasim(t, append(base, "--listen", "unix:"+c.path, "--duration", "1s")...)
				if code := p.wait(t); code != 2 {
					t.Errorf("%s: exit %d, want 2", c.path, code)
				}
				if _, errOut := p.output(); !strings.Contains(errOut, c.want) {
					t.Errorf("%s: stderr %q, want %q", c.path, errOut, c.want)
				}
			}
			if b, _ := os.ReadFile(file); string(b) != "precious" {
				t.Errorf("the file changed: %q", b)
			}
			if fi, err := os.Stat(emptyDir); err != nil || !fi.IsDir() {
				t.Errorf("the directory is gone: %v", err)
			}
			if target, err := os.Readlink(link); err != nil || target != file {
				t.Errorf("the link changed: %q %v", target, err)
			}
			if b, _ := os.ReadFile(longPath); string(b) != "x" {
				t.Errorf("the file at the long path changed: %q", b)
			}
			// The live socket's owner still serves (the refused session's
			// check connected to it once too).
			go func() {
				for {
					c, err := other.Accept()
					if err != nil {
						return
					}
					c.Write([]byte("ok"))
					c.Close()
				}
			}()
			c, err := net.Dial("unix", liveSock)
			if err != nil {
				t.Fatalf("the other listener stopped working: %v", err)
			}
			defer c.Close()
			b := make([]byte, 2)
			if _, err := c.Read(b); err != nil || string(b) != "ok" {
				t.Fatalf("the other listener: %q %v", b, err)
			}
		})
	}
}

// roundTrip writes a guest-sync and reads the line that comes back.
func roundTrip(t *testing.T, c net.Conn, r *bufio.Reader, id string) {
	t.Helper()
	if _, err := c.Write([]byte(`{"execute":"guest-sync","arguments":{"id":` + id + `}}`)); err != nil {
		t.Fatal(err)
	}
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	line, err := r.ReadString('\n')
	if err != nil || line != `{"return": `+id+"}\n" {
		t.Fatalf("guest-sync %s: %q, %v", id, line, err)
	}
}

// A stale socket (nobody listens) is replaced; the new one is mode 0600
// whatever the umask; each of SIGINT, SIGTERM and SIGHUP ends the session
// with its report and removes the socket.
func TestLiveListenStaleModeAndSignals(t *testing.T) {
	old := syscall.Umask(0)
	defer syscall.Umask(old)
	for _, lc := range liveCommands() {
		for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP} {
			t.Run(lc.name+"/"+sig.String(), func(t *testing.T) {
				path := filepath.Join(t.TempDir(), "s")
				fd, _ := syscall.Socket(syscall.AF_UNIX, syscall.SOCK_STREAM, 0)
				if err := syscall.Bind(fd, &syscall.SockaddrUnix{Name: path}); err != nil {
					t.Fatal(err)
				}
				syscall.Close(fd) // bound, never listened: stale
				p := startQgasim(t, append(lc.args(t), "--listen", "unix:"+path)...)
				c := dialRetry(t, p, "unix", path)
				roundTrip(t, c, bufio.NewReader(c), "7")
				fi, err := os.Lstat(path)
				if err != nil || fi.Mode()&os.ModeSocket == 0 || fi.Mode().Perm() != 0o600 {
					t.Fatalf("the socket: %v %v, want a socket 0600", fi.Mode(), err)
				}
				c.Close()
				p.cmd.Process.Signal(sig)
				if code := p.wait(t); code != 0 {
					out, errOut := p.output()
					t.Fatalf("exit %d after %v:\n%s\n%s", code, sig, out, errOut)
				}
				if out, _ := p.output(); !strings.Contains(out, "oracle: 1 correct") {
					t.Errorf("the report after %v:\n%s", sig, out)
				}
				if _, err := os.Lstat(path); !errors.Is(err, os.ErrNotExist) {
					t.Errorf("the socket is still there after %v: %v", sig, err)
				}
			})
		}
	}
}

// A session removes at its end only the socket it made: one that took
// its path over meanwhile stays, and keeps working.
func TestLiveRemovesOnlyItsOwnSocket(t *testing.T) {
	for _, lc := range liveCommands() {
		t.Run(lc.name, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(t.TempDir(), "s")
			p := startQgasim(t, append(lc.args(t), "--listen", "unix:"+path)...)
			dialRetry(t, p, "unix", path).Close()
			os.Remove(path) // someone removed it, and listens there now
			other, err := net.Listen("unix", path)
			if err != nil {
				t.Fatal(err)
			}
			defer other.Close()
			p.cmd.Process.Signal(syscall.SIGTERM)
			if code := p.wait(t); code != 0 {
				t.Fatalf("exit %d", code)
			}
			go func() {
				if c, err := other.Accept(); err == nil {
					c.Close()
				}
			}()
			c, err := net.Dial("unix", path)
			if err != nil {
				t.Fatalf("the other listener's socket was removed: %v", err)
			}
			c.Close()
		})
	}
}

// tcp: loopback only, unless --listen-remote asks for another address,
// and then a loud warning.
func TestLiveListenTCP(t *testing.T) {
	for _, lc := range liveCommands() {
		t.Run(lc.name, func(t *testing.T) {
			t.Parallel()
			base := lc.args(t)
			for _, addr := range []string{"tcp:0.0.0.0:0", "tcp::0", "tcp:192.0.2.1:4444"} {
				p := startQgasim(t, append(base, "--listen", addr, "--duration", "1s")...)
				if code := p.wait(t); code != 2 {
					t.Errorf("%s: exit %d, want 2", addr, code)
				}
				if _, errOut := p.output(); !strings.Contains(errOut, "is not a loopback address") {
					t.Errorf("%s: %q", addr, errOut)
				}
			}
			p := startQgasim(t, append(base, "--listen", "tcp:0.0.0.0:0", "--listen-remote", "--duration", "1s")...)
			if code := p.wait(t); code != 0 {
				t.Fatalf("--listen-remote: exit %d", code)
			}
			if _, errOut := p.output(); !strings.Contains(errOut, "WARNING: listening on tcp:0.0.0.0:0, which is not loopback: anyone who can reach this port controls the guest") {
				t.Errorf("--listen-remote: no warning: %q", errOut)
			}
		})
	}
}

// One client at a time, as qemu-ga: a second client's connect succeeds,
// and it gets nothing (its request unread, none of the first one's
// bytes) until the first one closes; then it is served. On unix and tcp,
// for serve and proxy.
func TestLiveOneClientAtATime(t *testing.T) {
	for _, lc := range liveCommands() {
		for _, network := range []string{"unix", "tcp"} {
			t.Run(lc.name+"/"+network, func(t *testing.T) {
				t.Parallel()
				addr := filepath.Join(t.TempDir(), "s")
				listenAt := "unix:" + addr
				if network == "tcp" {
					// A free port: taken and given back (a race with other
					// programs is possible but unlikely).
					l, err := net.Listen("tcp", "127.0.0.1:0")
					if err != nil {
						t.Fatal(err)
					}
					addr = l.Addr().String()
					l.Close()
					listenAt = "tcp:" + addr
				}
				p := startQgasim(t, append(lc.args(t), "--listen", listenAt)...)
				first := dialRetry(t, p, network, addr)
				r1 := bufio.NewReader(first)
				roundTrip(t, first, r1, "1")
				second, err := net.Dial(network, addr)
				if err != nil {
					t.Fatalf("the second client's connect: %v", err)
				}
				defer second.Close()
				if _, err := second.Write([]byte(`{"execute":"guest-sync","arguments":{"id":2}}`)); err != nil {
					t.Fatal(err)
				}
				// The first client goes on alone and gets only its own
				// replies.
				for _, id := range []string{"3", "4"} {
					roundTrip(t, first, r1, id)
				}
				second.SetReadDeadline(time.Now().Add(300 * time.Millisecond))
				b := make([]byte, 64)
				if n, err := second.Read(b); n > 0 || !isTimeout(err) {
					t.Fatalf("the waiting client got %q, %v: want nothing yet", b[:n], err)
				}
				if network == "unix" {
					// qemu-ga's backlog: the session does not accept while
					// one client is served, so the kernel holds one more
					// connection beside the second, and then no more.
					var errs []error
					for range 2 {
						fd, _ := syscall.Socket(syscall.AF_UNIX, syscall.SOCK_STREAM|syscall.SOCK_NONBLOCK, 0)
						defer syscall.Close(fd)
						errs = append(errs, syscall.Connect(fd, &syscall.SockaddrUnix{Name: addr}))
					}
					if errs[0] != nil || !errors.Is(errs[1], syscall.EAGAIN) {
						t.Fatalf("the third and fourth connects: %v, want the third to wait and the fourth EAGAIN", errs)
					}
				}
				first.Close()
				// Now the second one is served: its request, written while
				// it waited, is answered.
				second.SetReadDeadline(time.Now().Add(5 * time.Second))
				r2 := bufio.NewReader(second)
				line, err := r2.ReadString('\n')
				if err != nil || line != "{\"return\": 2}\n" {
					t.Fatalf("the second client, once the first closed: %q, %v", line, err)
				}
				roundTrip(t, second, r2, "5")
				second.Close()
				p.cmd.Process.Signal(syscall.SIGINT)
				if code := p.wait(t); code != 0 {
					t.Fatalf("exit %d", code)
				}
				out, _ := p.output()
				if !strings.Contains(out, "oracle: 5 correct") {
					t.Errorf("report:\n%s", out)
				}
			})
		}
	}
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// procByArg finds the process whose command line has arg, and says
// whether it is alive (a zombie is not).
func procByArg(arg string) (pid int, alive bool) {
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		var n int
		if _, err := fmt.Sscanf(e.Name(), "%d", &n); err != nil {
			continue
		}
		cmdline, err := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
		if err != nil || !bytes.Contains(cmdline, []byte(arg)) || bytes.Contains(cmdline, []byte("proxy")) {
			continue
		}
		stat, _ := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		// pid (comm) state ...: the state follows the last ')'.
		if i := bytes.LastIndexByte(stat, ')'); i >= 0 && i+2 < len(stat) {
			return n, stat[i+2] != 'Z' && stat[i+2] != 'X'
		}
		return n, true
	}
	return 0, false
}

// A proxy killed with SIGKILL (no chance to clean up) takes the qemu-ga it
// started with it: the kernel sends it SIGKILL (parent-death signal).
func TestProxyKilledTakesItsAgent(t *testing.T) {
	bin := qemuGAPath(t)
	dir := t.TempDir()
	state := filepath.Join(dir, "state")
	os.Mkdir(state, 0o700)
	agentSock, listenAt := filepath.Join(dir, "qga.sock"), filepath.Join(dir, "p.sock")
	p := startQgasim(t, "proxy", "handshake-guest-sync", "--listen", "unix:"+listenAt, "--connect", "unix:"+agentSock,
		"--agent-cmd", bin+" -m unix-listen -p "+agentSock+" -t "+state)
	c := dialRetry(t, p, "unix", listenAt)
	roundTrip(t, c, bufio.NewReader(c), "3")
	pid, alive := procByArg(agentSock)
	if pid == 0 || !alive {
		t.Fatalf("the managed qemu-ga is not running (pid %d)", pid)
	}
	p.cmd.Process.Kill()
	p.wait(t)
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if _, alive := procByArg(agentSock); !alive {
			break
		}
		if time.Now().After(deadline) {
			syscall.Kill(pid, syscall.SIGKILL)
			t.Fatalf("qemu-ga (pid %d) outlived the proxy that started it", pid)
		}
	}
}
