package agent

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

// A differential case, read from testdata/diff/*.txt. The format, one
// directive a line ('#' starts a comment line):
//
//	=== NAME              starts a case
//	write TEXT            one write of TEXT
//	more TEXT             appends TEXT to the last write (same write)
//	repeat N TEXT         one write of TEXT repeated N times
//	more-repeat N TEXT    appends TEXT repeated N times to the last write
//	reconnect             close the connection and open a new one
//	blocked LIST          start the agent with -b LIST
//	frozen                start the agent with qga.state.isfrozen present
//	file NAME TEXT        a file NAME with content TEXT in the case's
//	                      directory; @DIR@ in writes is that directory
//	mask pid|time         compare with guest-exec pids / numbers masked
//	compare shape         compare each reply's JSON shape (keys in order,
//	                      kinds of values) instead of its bytes: for results
//	                      that are facts of the machine (its disks, its
//	                      network), which the simulated guest does not copy
//	allow-error COMMAND   the case may send COMMAND, which acts on the
//	                      machine, because it fails before acting; the
//	                      harness checks that the simulated agent refused it
//	pause DURATION        wait this long (Go syntax, "200ms") before the next
//	                      write; the simulated agent's clock moves as much
//	timeout SECONDS       how long to wait for the real agent (default 10)
//
// In TEXT, @PIDn@ is the pid the n-th guest-exec of the case returned (each
// agent its own). The only escape is \xHH (a raw byte), so JSON escapes such as \n
// or \u00e9 are written as they go on the wire; a raw newline is \x0a.
type diffCase struct {
	name    string
	file    string // transcript it came from, with the line
	conns   [][][]byte
	blocked string
	frozen  bool
	files   map[string]string
	masks   []string
	shape   bool
	allowed []string                 // unsafe commands that must fail (allow-error)
	pauses  map[[2]int]time.Duration // before write [conn, index]
	pending time.Duration            // a pause for the next write
	timeout float64
}

// unescape turns the only escape, \xHH, into its byte.
func unescape(s string) ([]byte, error) {
	var out []byte
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) && s[i+1] == 'x' {
			if i+4 > len(s) {
				return nil, fmt.Errorf("short \\x escape at %d", i)
			}
			v, err := strconv.ParseUint(s[i+2:i+4], 16, 8)
			if err != nil {
				return nil, fmt.Errorf("bad \\x escape %q", s[i:i+4])
			}
			out = append(out, byte(v))
			i += 3
			continue
		}
		out = append(out, s[i])
	}
	return out, nil
}

func loadCases(t testing.TB, dir string) []*diffCase {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no transcripts in %s: %v", dir, err)
	}
	sort.Strings(paths)
	var cases []*diffCase
	seen := map[string]string{}
	for _, p := range paths {
		cs, err := parseTranscript(p)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cs {
			if prev, dup := seen[c.name]; dup {
				t.Fatalf("%s: case %q already defined at %s", c.file, c.name, prev)
			}
			seen[c.name] = c.file
		}
		cases = append(cases, cs...)
	}
	return cases
}

func parseTranscript(path string) ([]*diffCase, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var cases []*diffCase
	var cur *diffCase
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<20)
	line := 0
	for sc.Scan() {
		line++
		text := sc.Text()
		where := fmt.Sprintf("%s:%d", filepath.Base(path), line)
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		if name, ok := strings.CutPrefix(text, "=== "); ok {
			cur = &diffCase{name: strings.TrimSpace(name), file: where, conns: [][][]byte{nil}, timeout: 10}
			cases = append(cases, cur)
			continue
		}
		if cur == nil {
			return nil, fmt.Errorf("%s: directive before the first '=== NAME'", where)
		}
		verb, rest, _ := strings.Cut(text, " ")
		conn := &cur.conns[len(cur.conns)-1]
		lastWrite := func() (*[]byte, error) {
			if len(*conn) == 0 {
				return nil, fmt.Errorf("%s: %s without a write before it", where, verb)
			}
			return &(*conn)[len(*conn)-1], nil
		}
		repeated := func() ([]byte, error) {
			nstr, t, ok := strings.Cut(rest, " ")
			n, err := strconv.Atoi(nstr)
			if !ok || err != nil || n < 0 {
				return nil, fmt.Errorf("%s: want '%s N TEXT'", where, verb)
			}
			b, err := unescape(t)
			if err != nil {
				return nil, fmt.Errorf("%s: %v", where, err)
			}
			return bytes.Repeat(b, n), nil
		}
		switch verb {
		case "write", "more":
			b, err := unescape(rest)
			if err != nil {
				return nil, fmt.Errorf("%s: %v", where, err)
			}
			if verb == "write" {
				if cur.pending > 0 {
					if cur.pauses == nil {
						cur.pauses = map[[2]int]time.Duration{}
					}
					cur.pauses[[2]int{len(cur.conns) - 1, len(*conn)}] = cur.pending
					cur.pending = 0
				}
				*conn = append(*conn, b)
				break
			}
			w, err := lastWrite()
			if err != nil {
				return nil, err
			}
			*w = append(*w, b...)
		case "repeat", "more-repeat":
			b, err := repeated()
			if err != nil {
				return nil, err
			}
			if verb == "repeat" {
				*conn = append(*conn, b)
				break
			}
			w, err := lastWrite()
			if err != nil {
				return nil, err
			}
			*w = append(*w, b...)
		case "reconnect":
			cur.conns = append(cur.conns, nil)
		case "blocked":
			cur.blocked = rest
		case "frozen":
			cur.frozen = true
		case "file":
			name, content, _ := strings.Cut(rest, " ")
			b, err := unescape(content)
			if err != nil {
				return nil, fmt.Errorf("%s: %v", where, err)
			}
			if cur.files == nil {
				cur.files = map[string]string{}
			}
			cur.files[name] = string(b)
		case "mask":
			if rest != "pid" && rest != "time" {
				return nil, fmt.Errorf("%s: mask pid or mask time, not %q", where, rest)
			}
			cur.masks = append(cur.masks, rest)
		case "pause":
			d, err := time.ParseDuration(rest)
			if err != nil || d <= 0 {
				return nil, fmt.Errorf("%s: pause wants a duration such as 200ms, not %q", where, rest)
			}
			cur.pending += d
		case "compare":
			if rest != "shape" {
				return nil, fmt.Errorf("%s: compare shape, not %q", where, rest)
			}
			cur.shape = true
		case "allow-error":
			if !unsafeCommands[rest] {
				return nil, fmt.Errorf("%s: %q is not a command that acts on the machine", where, rest)
			}
			cur.allowed = append(cur.allowed, rest)
		case "timeout":
			f, err := strconv.ParseFloat(rest, 64)
			if err != nil {
				return nil, fmt.Errorf("%s: %v", where, err)
			}
			cur.timeout = f
		default:
			return nil, fmt.Errorf("%s: unknown directive %q", where, verb)
		}
	}
	return cases, sc.Err()
}
