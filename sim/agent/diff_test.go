package agent

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// session is one differential run: the same writes, connection by
// connection, to a fresh real agent and to a fresh simulated one.
type session struct {
	name    string
	opts    realOpts
	files   map[string]string // path -> content, present on disk and in Config.Files
	conns   [][][]byte
	masks   []string
	timeout time.Duration
	// allowExec lets authored cases use guest-exec and guest-file-* (the
	// fuzzer may not: a mutated stream could run or write anything).
	allowExec bool
	// allowed are unsafe commands the case may send, provided the simulated
	// agent refuses them (they fail before they act).
	allowed []string
	// shape compares replies by their JSON shape, not their bytes.
	shape bool
	// pauses are extra waits before a write: [connection, write index].
	pauses map[[2]int]time.Duration
}

// simulate runs the session through the simulated agent: one Feed per
// write. A reconnect changes nothing for it (the parser survives), but the
// bytes are grouped by connection. It fails the test if the stream would
// make the real agent run a command that acts on the machine.
func (s *session) simulate(t testing.TB) [][]byte {
	t.Helper()
	cfg := localConfig()
	cfg.Blocked = nil
	if s.opts.blocked != "" {
		cfg.Blocked = strings.Split(s.opts.blocked, ",")
	}
	if s.files != nil {
		cfg.Files = map[string][]byte{}
		for p, c := range s.files {
			cfg.Files[p] = []byte(c)
		}
	}
	persist := NewPersistent()
	persist.Frozen = s.opts.frozen
	a := New(cfg, persist)
	outs := make([][]byte, len(s.conns))
	var now int64
	var all []byte // every reply, for the pids
	for i, writes := range s.conns {
		for k, w := range writes {
			now += int64(writePause + s.pauses[[2]int{i, k}])
			w, ok := withPIDs(w, all)
			if !ok {
				t.Fatalf("%s: a write names a pid that no guest-exec returned", s.name)
			}
			for _, r := range a.Feed(now, w) {
				// A command not found or disabled never runs.
				ran := r.Class != ClassCommandNotFound
				if ran && r.Class != "" && slices.Contains(s.allowed, r.Command) {
					ran = false // refused, as the case says it must be
				}
				if ran && unsafeCommands[r.Command] || ran && (!s.allowExec &&
					(r.Command == "guest-exec" || strings.HasPrefix(r.Command, "guest-file-"))) {
					t.Fatalf("%s: the stream would run %s on the real agent; refusing", s.name, r.Command)
				}
				outs[i] = append(outs[i], r.Bytes...)
				all = append(all, r.Bytes...)
			}
		}
	}
	return outs
}

// real runs the session against a fresh qemu-ga. want is the simulated
// agent's output per connection, used only to know how long to wait.
func (s *session) real(t testing.TB, bin string, want [][]byte) [][]byte {
	t.Helper()
	realSlots <- struct{}{}
	defer func() { <-realSlots }()
	r := startRealAgent(t, bin, s.opts)
	outs := make([][]byte, len(s.conns))
	var before []byte // what earlier connections received, for the pids
	for i, writes := range s.conns {
		c := r.dial(t)
		written := 0
		for k, w := range writes {
			if k > 0 {
				time.Sleep(writePause)
			}
			time.Sleep(s.pauses[[2]int{i, k}])
			if bytes.Contains(w, []byte("@PID")) {
				w = c.withPIDs(w, before, s.timeout)
			}
			if err := c.write(w); err != nil {
				t.Fatalf("%s: write: %v", s.name, err)
			}
			written += len(w)
		}
		outs[i] = c.collect(len(want[i]), s.timeout, written)
		before = append(before, outs[i]...)
		c.close()
	}
	return outs
}

// pidRef is a reference in a write to the pid the n-th guest-exec of the
// case returned (@PID1@ is the first); the two agents give different pids.
var (
	pidRef      = regexp.MustCompile(`@PID([0-9]+)@`)
	returnedPID = regexp.MustCompile(`"pid": ([0-9]+)`)
)

// withPIDs puts the pids found in replies into a write; ok is false when a
// reference has no pid yet.
func withPIDs(w, replies []byte) ([]byte, bool) {
	pids := returnedPID.FindAllSubmatch(replies, -1)
	ok := true
	out := pidRef.ReplaceAllFunc(w, func(ref []byte) []byte {
		n, _ := strconv.Atoi(string(pidRef.FindSubmatch(ref)[1]))
		if n < 1 || n > len(pids) {
			ok = false
			return ref
		}
		return pids[n-1][1]
	})
	return out, ok
}

// withPIDs waits (up to timeout) for the replies that carry the pids a
// write refers to.
func (c *realConn) withPIDs(w, before []byte, timeout time.Duration) []byte {
	deadline := time.Now().Add(timeout)
	for {
		c.mu.Lock()
		got := append(append([]byte(nil), before...), c.got...)
		c.mu.Unlock()
		if out, ok := withPIDs(w, got); ok || time.Now().After(deadline) {
			return out
		}
		time.Sleep(time.Millisecond)
	}
}

var (
	maskPID  = regexp.MustCompile(`"pid": [0-9]+`)
	maskTime = regexp.MustCompile(`"return": [0-9]+`)
)

func (s *session) mask(b []byte) []byte {
	for _, m := range s.masks {
		switch m {
		case "pid":
			b = maskPID.ReplaceAll(b, []byte(`"pid": PID`))
		case "time":
			b = maskTime.ReplaceAll(b, []byte(`"return": TIME`))
		}
	}
	return b
}

// compare reports the first connection whose bytes differ, as Go %q.
func (s *session) compare(sim, real [][]byte, extra string) error {
	for i := range sim {
		a, b := s.mask(sim[i]), s.mask(real[i])
		if s.shape {
			if err := sameShapes(a, b); err != nil {
				return fmt.Errorf("case %s%s, connection %d of %d: %v\n sim: %s\nreal: %s",
					s.name, extra, i+1, len(sim), err, quoteShort(a), quoteShort(b))
			}
			continue
		}
		if !bytes.Equal(a, b) {
			return fmt.Errorf("case %s%s, connection %d of %d:\n sim: %s\nreal: %s",
				s.name, extra, i+1, len(sim), quoteShort(a), quoteShort(b))
		}
	}
	return nil
}

// quoteShort is %q, cut in the middle when it would flood the log.
func quoteShort(b []byte) string {
	if len(b) > 4000 {
		return fmt.Sprintf("%q ...(%d bytes)... %q", b[:2000], len(b)-4000, b[len(b)-2000:])
	}
	return fmt.Sprintf("%q", b)
}

// sessionOf turns a transcript case into a session, with its files in dir.
func sessionOf(t testing.TB, c *diffCase) *session {
	s := &session{name: c.name + " (" + c.file + ")", opts: realOpts{blocked: c.blocked, frozen: c.frozen},
		masks: c.masks, timeout: time.Duration(c.timeout * float64(time.Second)), allowExec: true,
		allowed: c.allowed, shape: c.shape, pauses: c.pauses}
	dir := ""
	if c.files != nil {
		var err error
		if dir, err = os.MkdirTemp("", "qgafiles"); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.RemoveAll(dir) })
		s.files = map[string]string{}
		for name, content := range c.files {
			p := filepath.Join(dir, name)
			if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
				t.Fatal(err)
			}
			s.files[p] = content
		}
	}
	for _, writes := range c.conns {
		var ws [][]byte
		for _, w := range writes {
			if dir != "" {
				w = bytes.ReplaceAll(w, []byte("@DIR@"), []byte(dir))
			}
			ws = append(ws, w)
		}
		s.conns = append(s.conns, ws)
	}
	return s
}

// minCases is how many transcript cases the differential test insists on.
const minCases = 80

// TestTranscripts checks that the cases parse and that the simulated agent
// runs them (without the real agent).
func TestTranscripts(t *testing.T) {
	cases := loadCases(t, filepath.Join("testdata", "diff"))
	if len(cases) < minCases {
		t.Fatalf("%d differential cases, want at least %d", len(cases), minCases)
	}
	for _, c := range cases {
		s := sessionOf(t, c)
		s.simulate(t)
	}
}

// TestDifferential runs every transcript case against the real qemu-ga and
// the simulated agent and wants the same bytes on every connection.
func TestDifferential(t *testing.T) {
	bin := qemuGAPath(t)
	cases := loadCases(t, filepath.Join("testdata", "diff"))
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			s := sessionOf(t, c)
			sim := s.simulate(t)
			real := s.real(t, bin, sim)
			if err := s.compare(sim, real, ""); err != nil {
				t.Error(err)
			}
		})
	}
}
