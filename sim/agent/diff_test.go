package agent

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
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
	for i, writes := range s.conns {
		for _, w := range writes {
			now += int64(writePause)
			for _, r := range a.Feed(now, w) {
				// A command not found or disabled never runs.
				ran := r.Class != ClassCommandNotFound
				if ran && unsafeCommands[r.Command] || ran && (!s.allowExec &&
					(r.Command == "guest-exec" || strings.HasPrefix(r.Command, "guest-file-"))) {
					t.Fatalf("%s: the stream would run %s on the real agent; refusing", s.name, r.Command)
				}
				outs[i] = append(outs[i], r.Bytes...)
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
	for i, writes := range s.conns {
		c := r.dial(t)
		written := 0
		for k, w := range writes {
			if k > 0 {
				time.Sleep(writePause)
			}
			if err := c.write(w); err != nil {
				t.Fatalf("%s: write: %v", s.name, err)
			}
			written += len(w)
		}
		outs[i] = c.collect(len(want[i]), s.timeout, written)
		c.close()
	}
	return outs
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
		masks: c.masks, timeout: time.Duration(c.timeout * float64(time.Second)), allowExec: true}
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
