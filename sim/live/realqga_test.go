package live

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/qgasim/qgasim/internal/upstream"
	"github.com/qgasim/qgasim/sim"
)

// This file runs the real qemu-ga 7.2 (qemu-ga -m unix-listen) behind a
// proxy session. The agent runs as whoever runs the tests: the cases are
// the agent's differential cases, chosen never to act on the machine.

func qemuGA(t testing.TB) string {
	t.Helper()
	for _, p := range []string{"qemu-ga", "/usr/sbin/qemu-ga", "/usr/bin/qemu-ga"} {
		if path, err := exec.LookPath(p); err == nil {
			return path
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("qemu-ga not found; the proxy tests need the real agent: apt-get install -y qemu-guest-agent")
	}
	t.Skip("qemu-ga not found; the proxy tests need the real agent: apt-get install -y qemu-guest-agent")
	return ""
}

// agentDir is a fresh directory for one real agent: its socket, its state
// directory (with the frozen marker if asked) and the case's files.
type agentDir struct {
	dir, sock, state string
}

func newAgentDir(t testing.TB, frozen bool) agentDir {
	t.Helper()
	dir, err := os.MkdirTemp("", "qgaproxy")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	d := agentDir{dir: dir, sock: filepath.Join(dir, "s"), state: filepath.Join(dir, "state")}
	if err := os.Mkdir(d.state, 0o700); err != nil {
		t.Fatal(err)
	}
	if frozen {
		if err := os.WriteFile(filepath.Join(d.state, "qga.state.isfrozen"), nil, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return d
}

func (d agentDir) command(bin, blocked string) string {
	cmd := fmt.Sprintf("%s -m unix-listen -p %s -t %s -f %s", bin, d.sock, d.state, filepath.Join(d.dir, "pid"))
	if blocked != "" {
		cmd += " -b " + blocked
	}
	return cmd
}

// managed starts the real agent of bin in d, managed by upstream (its
// process started, restarted and killed by it), blocking the commands
// blocked names (qemu-ga's -b); its output goes to log.
func (d agentDir) managed(t testing.TB, bin, blocked string, log *os.File) *upstream.Agent {
	t.Helper()
	ag, err := upstream.New("unix:"+d.sock, d.command(bin, blocked), log)
	if err != nil {
		t.Fatal(err)
	}
	return ag
}

// diffCase is a case of the agent's differential transcripts
// (sim/agent/testdata/diff, format in sim/agent/transcript_test.go).
type diffCase struct {
	name    string
	conns   [][][]byte
	blocked string
	frozen  bool
	files   map[string][]byte
	masks   []string
	// twoRuns: the case cannot give the same bytes on two real agents
	// (the machine's counters move between runs, compare shape; each
	// agent's guest-exec pids, @PIDn@ with pause), so the proxy test
	// leaves it to sim/agent's harness.
	twoRuns bool
}

func unescape(s string) ([]byte, error) {
	var out []byte
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) && s[i+1] == 'x' {
			if i+4 > len(s) {
				return nil, errors.New("short \\x escape")
			}
			v, err := strconv.ParseUint(s[i+2:i+4], 16, 8)
			if err != nil {
				return nil, err
			}
			out = append(out, byte(v))
			i += 3
			continue
		}
		out = append(out, s[i])
	}
	return out, nil
}

func loadDiffCases(t testing.TB) []*diffCase {
	t.Helper()
	paths, _ := filepath.Glob(filepath.Join("..", "agent", "testdata", "diff", "*.txt"))
	if len(paths) == 0 {
		t.Fatal("no differential cases in sim/agent/testdata/diff")
	}
	sort.Strings(paths)
	var cases []*diffCase
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var cur *diffCase
		sc := bufio.NewScanner(bytes.NewReader(data))
		sc.Buffer(nil, 1<<20)
		for line := 1; sc.Scan(); line++ {
			text := sc.Text()
			if text == "" || strings.HasPrefix(text, "#") {
				continue
			}
			if name, ok := strings.CutPrefix(text, "=== "); ok {
				cur = &diffCase{name: strings.TrimSpace(name), conns: [][][]byte{nil}}
				cases = append(cases, cur)
				continue
			}
			verb, rest, _ := strings.Cut(text, " ")
			conn := &cur.conns[len(cur.conns)-1]
			var b []byte
			if verb == "repeat" || verb == "more-repeat" {
				nstr, txt, _ := strings.Cut(rest, " ")
				n, err := strconv.Atoi(nstr)
				if err != nil {
					t.Fatalf("%s:%d: %v", p, line, err)
				}
				one, err := unescape(txt)
				if err != nil {
					t.Fatalf("%s:%d: %v", p, line, err)
				}
				b = bytes.Repeat(one, n)
			} else if verb == "write" || verb == "more" || verb == "file" {
				if b, err = unescape(rest); err != nil && verb != "file" {
					t.Fatalf("%s:%d: %v", p, line, err)
				}
			}
			switch verb {
			case "write", "repeat":
				*conn = append(*conn, b)
			case "more", "more-repeat":
				(*conn)[len(*conn)-1] = append((*conn)[len(*conn)-1], b...)
			case "reconnect":
				cur.conns = append(cur.conns, nil)
			case "blocked":
				cur.blocked = rest
			case "frozen":
				cur.frozen = true
			case "file":
				name, content, _ := strings.Cut(rest, " ")
				c, err := unescape(content)
				if err != nil {
					t.Fatalf("%s:%d: %v", p, line, err)
				}
				if cur.files == nil {
					cur.files = map[string][]byte{}
				}
				cur.files[name] = c
			case "mask":
				cur.masks = append(cur.masks, rest)
			case "compare", "pause":
				cur.twoRuns = true
			case "timeout", "allow-error":
			default:
				t.Fatalf("%s:%d: unknown directive %q", p, line, verb)
			}
		}
	}
	return cases
}

// session plays a case's connections against an address and returns what
// each connection received. want, when not nil, is how many bytes to wait
// for per connection (what the direct run got); otherwise it waits until
// the agent has been quiet for a while.
func playCase(t testing.TB, c *diffCase, network, addr, dir string, want [][]byte, busy func() bool) [][]byte {
	t.Helper()
	outs := make([][]byte, len(c.conns))
	for i, writes := range c.conns {
		conn, err := net.Dial(network, addr)
		if err != nil {
			t.Fatalf("%s: connect: %v", c.name, err)
		}
		var mu sync.Mutex
		var got []byte
		more := make(chan struct{}, 1)
		readDone := make(chan struct{})
		go func() {
			defer close(readDone)
			buf := make([]byte, 1<<16)
			for {
				n, err := conn.Read(buf)
				mu.Lock()
				got = append(got, buf[:n]...)
				mu.Unlock()
				select {
				case more <- struct{}{}:
				default:
				}
				if err != nil {
					return
				}
			}
		}()
		for k, w := range writes {
			if k > 0 {
				time.Sleep(3 * time.Millisecond)
			}
			w = bytes.ReplaceAll(w, []byte("@DIR@"), []byte(dir))
			if _, err := conn.Write(w); err != nil && !errors.Is(err, syscallEPIPE) {
				t.Fatalf("%s: write: %v", c.name, err)
			}
		}
		size := func() int { mu.Lock(); defer mu.Unlock(); return len(got) }
		deadline := time.Now().Add(20 * time.Second)
		if want != nil {
			for size() < len(want[i]) && time.Now().Before(deadline) {
				select {
				case <-more:
				case <-readDone:
				case <-time.After(50 * time.Millisecond):
				}
			}
			time.Sleep(60 * time.Millisecond)
		} else {
			// Quiet for 150 ms (300 ms before the first byte), and the
			// agent idle: on a loaded machine a busy agent can be silent
			// for longer than that between two replies.
			quiet := 300 * time.Millisecond
			for time.Now().Before(deadline) {
				select {
				case <-more:
					quiet = 150 * time.Millisecond
					continue
				case <-readDone:
				case <-time.After(quiet):
					if busy != nil && busy() {
						continue
					}
				}
				break
			}
		}
		conn.Close()
		<-readDone
		mu.Lock()
		outs[i] = got
		mu.Unlock()
	}
	return outs
}

// agentBusy reports, each time it is called, whether the process pid is
// running or waiting to run, or has used CPU time since the call before: an
// agent still working through its input, whose replies are still to come.
func agentBusy(pid int) func() bool {
	last := "" // no call yet: the state alone decides
	return func() bool {
		data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		if pid == 0 || err != nil {
			return false
		}
		// After the command name in parentheses: state, then 10 fields,
		// then utime and stime.
		f := strings.Fields(string(data[bytes.LastIndexByte(data, ')')+1:]))
		if len(f) < 13 {
			return false
		}
		cpu := f[11] + "/" + f[12]
		busy := f[0] == "R" || f[0] == "D" || (last != "" && cpu != last)
		last = cpu
		return busy
	}
}

var (
	reMaskPID  = regexp.MustCompile(`"pid": [0-9]+`)
	reMaskTime = regexp.MustCompile(`"return": [0-9]+`)
	// realSlot bounds the real agents running at once.
	realSlot = make(chan struct{}, 3)
)

const syscallEPIPE = syscall.EPIPE

// proxySession starts a proxy session to ag on a fresh unix socket and
// waits until the agent is connected.
func proxySession(t testing.TB, ag Upstream, transport string, mod func(*sim.Config)) (*Session, net.Listener) {
	t.Helper()
	return proxySessionOpts(t, ag, Options{}, func(c *sim.Config) {
		c.Transport = transport
		if mod != nil {
			mod(c)
		}
	})
}

// proxySessionOpts is proxySession with options.
func proxySessionOpts(t testing.TB, ag Upstream, opts Options, mod func(*sim.Config)) (*Session, net.Listener) {
	t.Helper()
	dir, err := os.MkdirTemp("", "qgalisten")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	ln, err := net.Listen("unix", filepath.Join(dir, "l"))
	if err != nil {
		t.Fatal(err)
	}
	cfg := sim.Config{Seed: 1}
	if mod != nil {
		mod(&cfg)
	}
	opts.Agent = ag
	s, err := New(cfg, opts)
	if err != nil {
		t.Fatal(err)
	}
	go s.Serve(context.Background(), ln)
	t.Cleanup(func() { s.Close(); ln.Close() })
	select {
	case <-s.Ready():
	case <-time.After(10 * time.Second):
		t.Fatal("the proxy never reached the agent")
	}
	return s, ln
}

func masked(b []byte, masks []string) []byte {
	for _, m := range masks {
		switch m {
		case "pid":
			b = reMaskPID.ReplaceAll(b, []byte(`"pid": PID`))
		case "time":
			b = reMaskTime.ReplaceAll(b, []byte(`"return": TIME`))
		}
	}
	return b
}

// The real qemu-ga behind a proxy with no faults is transparent: every
// differential case gives the same bytes on every connection as the same
// agent reached directly.
func TestProxyTransparent(t *testing.T) {
	bin := qemuGA(t)
	for _, c := range loadDiffCases(t) {
		if c.twoRuns {
			continue
		}
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			realSlot <- struct{}{}
			defer func() { <-realSlot }()
			// Direct: a fresh agent, its own socket. With target nil the
			// reads end after a quiet spell; with a target, when each
			// connection has as many bytes as the target's.
			var d agentDir
			runDirect := func(target [][]byte) [][]byte {
				d = newAgentDir(t, c.frozen)
				writeFiles(t, d.dir, c.files)
				direct := d.managed(t, bin, c.blocked, nil)
				defer direct.Close()
				if conn, err := direct.Dial(t.Context()); err != nil {
					t.Fatal(err)
				} else {
					conn.Close()
				}
				return playCase(t, c, "unix", d.sock, d.dir, target, agentBusy(direct.PID()))
			}
			want := runDirect(nil)

			// Proxied: another fresh agent, managed by the session.
			p := newAgentDir(t, c.frozen)
			writeFiles(t, p.dir, c.files)
			ag := p.managed(t, bin, c.blocked, nil)
			s, ln := proxySession(t, ag, "unix-socket", nil)
			got := playCase(t, c, "unix", ln.Addr().String(), p.dir, want, nil)
			sum, err := s.Close()
			if err != nil {
				t.Fatal(err)
			}
			differ := func() (int, []byte, []byte) {
				for i := range want {
					a := masked(bytes.ReplaceAll(want[i], []byte(d.dir), []byte("DIR")), c.masks)
					b := masked(bytes.ReplaceAll(got[i], []byte(p.dir), []byte("DIR")), c.masks)
					if !bytes.Equal(a, b) {
						return i + 1, a, b
					}
				}
				return 0, nil, nil
			}
			if i, _, _ := differ(); i > 0 {
				// The direct read ends after a quiet spell, which a loaded
				// machine can stretch between two replies: play the direct
				// side again, this time waiting for as many bytes as the
				// proxy delivered, before calling it a difference.
				t.Logf("connection %d differs; the direct side again, waiting for the proxy's byte count", i)
				want = runDirect(got)
			}
			if i, a, b := differ(); i > 0 {
				t.Fatalf("connection %d of %d:\ndirect: %q\n proxy: %q", i, len(want), cut(a), cut(b))
			}
			if n := sum.Counts["misattributed"] + sum.Counts["lost"] + sum.Counts["garbled"]; n > 0 {
				t.Errorf("the oracle found trouble in a faultless session: %v", sum.Counts)
			}
		})
	}
}

func cut(b []byte) []byte {
	if len(b) > 3000 {
		return append(append(append([]byte(nil), b[:1500]...), "..."...), b[len(b)-1500:]...)
	}
	return b
}

func writeFiles(t testing.TB, dir string, files map[string][]byte) {
	t.Helper()
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), content, 0o600); err != nil {
			t.Fatal(err)
		}
	}
}
