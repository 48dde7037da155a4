package agent

import (
	"bytes"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The seeded differential fuzzer: mutated streams of requests and junk,
// written with random boundaries and reconnects to the real agent and the
// simulated one. The seed is printed; QGASIM_FUZZ_SEED or -qga.seed replays
// a run, and the stream number (-qga.stream) replays one stream.
var (
	fuzzSeedFlag    = flag.String("qga.seed", "", "seed of TestDifferentialFuzz (a number, or 'random'; default QGASIM_FUZZ_SEED, else fixed)")
	fuzzStreamsFlag = flag.Int("qga.streams", 300, "how many streams TestDifferentialFuzz sends")
	fuzzOnlyFlag    = flag.Int("qga.stream", -1, "run only this stream number of TestDifferentialFuzz")
)

const defaultFuzzSeed = 20261125

func fuzzSeed(t testing.TB) uint64 {
	s := *fuzzSeedFlag
	if s == "" {
		s = os.Getenv("QGASIM_FUZZ_SEED")
	}
	switch s {
	case "":
		return defaultFuzzSeed
	case "random":
		return uint64(time.Now().UnixNano())
	}
	v, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		t.Fatalf("bad fuzz seed %q: %v", s, err)
	}
	return v
}

// unsafeWords may not appear in a fuzz stream at all: with them a mutation
// could make a command that acts on the machine (one flipped byte turns
// guest-get-time into guest-set-time). The simulated agent checks each
// stream as well before the real agent sees it.
var unsafeWords = []string{"set-", "shutdown", "suspend", "freeze-", "thaw", "ssh", "exec", "file", "fstrim", "time"}

func TestDifferentialFuzz(t *testing.T) {
	bin := qemuGAPath(t)
	seed := fuzzSeed(t)
	n := max(*fuzzStreamsFlag, *fuzzOnlyFlag+1)
	t.Logf("seed %d, %d streams (replay: QGASIM_FUZZ_SEED=%d, one stream: -args -qga.seed=%d -qga.stream=N)", seed, n, seed, seed)
	for i := range n {
		if *fuzzOnlyFlag >= 0 && i != *fuzzOnlyFlag {
			continue
		}
		t.Run(strconv.Itoa(i), func(t *testing.T) {
			t.Parallel()
			s := fuzzSession(seed, i)
			sim := s.simulate(t)
			real := s.real(t, bin, sim)
			if err := s.compare(sim, real, fmt.Sprintf(" (seed %d stream %d)", seed, i)); err != nil {
				t.Errorf("%v\nwrites: %q", err, s.conns)
			}
		})
	}
}

// TestFuzzStreamsDeterministic checks that a seed gives the same streams.
func TestFuzzStreamsDeterministic(t *testing.T) {
	for i := range 50 {
		a, b := fuzzSession(7, i), fuzzSession(7, i)
		if fmt.Sprintf("%q %v", a.conns, a.opts) != fmt.Sprintf("%q %v", b.conns, b.opts) {
			t.Fatalf("seed 7 stream %d: two different streams", i)
		}
	}
}

// fuzzSession builds stream i of a seed; it never holds an unsafe word.
func fuzzSession(seed uint64, i int) *session {
	r := rand.New(rand.NewPCG(seed, uint64(i)))
	for {
		s := &session{name: fmt.Sprintf("fuzz %d/%d", seed, i), timeout: 10 * time.Second}
		switch r.IntN(10) {
		case 0:
			s.opts.blocked = "guest-ping,guest-info"
		case 1:
			s.opts.frozen = true
		}
		stream := mutate(r, baseStream(r))
		lower := strings.ToLower(string(stream))
		safe := true
		for _, w := range unsafeWords {
			if strings.Contains(lower, w) {
				safe = false
			}
		}
		if !safe {
			continue
		}
		s.conns = splitWrites(r, stream)
		return s
	}
}

var fuzzCommands = []string{"guest-ping", "guest-sync", "guest-sync-delimited", "guest-info",
	"guest-get-host-name", "guest-get-osinfo", "guest-fsfreeze-status", "guest-get-devices", "guest-nope"}

func baseStream(r *rand.Rand) []byte {
	var b []byte
	for range 1 + r.IntN(6) {
		if r.IntN(10) < 7 {
			b = append(b, request(r)...)
		} else {
			b = append(b, junk(r)...)
		}
	}
	return b
}

func request(r *rand.Rand) []byte {
	q := byte('"')
	if r.IntN(8) == 0 {
		q = '\''
	}
	str := func(s string) string { return string(q) + s + string(q) }
	cmd := fuzzCommands[r.IntN(len(fuzzCommands))]
	var members []string
	members = append(members, str("execute")+":"+str(cmd))
	switch {
	case cmd == "guest-sync" || cmd == "guest-sync-delimited":
		if r.IntN(8) > 0 {
			args := []string{str("id") + ":" + jsonValue(r, 0, true)}
			if r.IntN(6) == 0 {
				args = append(args, str("extra")+":1")
			}
			members = append(members, str("arguments")+":{"+strings.Join(args, ",")+"}")
		}
	case r.IntN(6) == 0:
		members = append(members, str("arguments")+":"+jsonValue(r, 1, false))
	}
	if r.IntN(3) == 0 {
		members = append(members, str("id")+":"+jsonValue(r, 0, false))
	}
	if r.IntN(12) == 0 {
		members = append(members, str("bogus")+":null")
	}
	r.Shuffle(len(members), func(i, j int) { members[i], members[j] = members[j], members[i] })
	sep := ","
	if r.IntN(4) == 0 {
		sep = ", "
	}
	out := "{" + strings.Join(members, sep) + "}"
	if r.IntN(3) == 0 {
		out += "\n"
	}
	return []byte(out)
}

// jsonValue is a random JSON value; intMostly favours what guest-sync takes.
func jsonValue(r *rand.Rand, depth int, intMostly bool) string {
	if intMostly && r.IntN(4) > 0 {
		return strconv.FormatInt(r.Int64()>>r.IntN(64), 10)
	}
	k := r.IntN(12)
	if depth > 2 && k >= 9 {
		k = 0
	}
	switch k {
	case 0:
		return strconv.Itoa(r.IntN(1000) - 500)
	case 1:
		return []string{"9223372036854775807", "-9223372036854775808", "9223372036854775808",
			"18446744073709551615", "18446744073709551616", "-0", "1e999", "-1e999", "1e-400"}[r.IntN(9)]
	case 2:
		return strconv.FormatFloat(r.NormFloat64()*1e6, 'g', -1, 64)
	case 3:
		return []string{"true", "false", "null"}[r.IntN(3)]
	case 4, 5:
		return `"` + []string{"", "abc", `\u00e9`, `\ud83d\ude00`, "\xc3\xa9", `a\"b`, `\n\t`, "\x7f", `\u0000`,
			"\xc0\x80", `\/`}[r.IntN(11)] + `"`
	case 6:
		return "'" + []string{"x", `"`, `\'`}[r.IntN(3)] + "'"
	case 7, 8:
		return strconv.Itoa(r.IntN(100))
	case 9:
		var el []string
		for range r.IntN(4) {
			el = append(el, jsonValue(r, depth+1, false))
		}
		return "[" + strings.Join(el, ",") + "]"
	default:
		keys := []string{"a", "id", "return", "error", "class", "desc", "foo", "pid", "name", "zz"}
		var el []string
		used := map[string]bool{}
		for range r.IntN(4) {
			key := keys[r.IntN(len(keys))]
			if used[key] {
				continue
			}
			used[key] = true
			el = append(el, `"`+key+`":`+jsonValue(r, depth+1, false))
		}
		return "{" + strings.Join(el, ",") + "}"
	}
}

func junk(r *rand.Rand) []byte {
	switch r.IntN(9) {
	case 8:
		// A soup of the bytes the lexer's number, keyword and string
		// states turn on.
		const soup = "0123-+.eE\"'\\u{}[]:, aftrnlx\t\n"
		b := make([]byte, 1+r.IntN(12))
		for i := range b {
			b[i] = soup[r.IntN(len(soup))]
		}
		return b
	case 0:
		return []byte{0xFF}
	case 1:
		return []byte{byte(r.IntN(0x20))}
	case 2:
		return []byte{0xFE}
	case 3:
		return []byte{"[]{}:,"[r.IntN(6)]}
	case 4:
		return []byte([]string{"42", "tru", "null", "-", "1.", "1e", "01", `"abc`, "'x", "%", "TRUE"}[r.IntN(11)])
	case 5:
		b := make([]byte, 1+r.IntN(6))
		for i := range b {
			b[i] = byte(r.IntN(256))
		}
		return b
	case 6:
		return bytes.Repeat([]byte{"[{"[r.IntN(2)]}, 1+r.IntN(5))
	default:
		return []byte("\n")
	}
}

// mutate applies a few of: insert 0xFF or a control byte, cut a range,
// duplicate a fragment elsewhere, splice in part of another request, flip
// a byte to a structural or quote character.
func mutate(r *rand.Rand, b []byte) []byte {
	for range r.IntN(5) {
		pos := r.IntN(len(b) + 1)
		switch r.IntN(6) {
		case 0:
			b = insert(b, pos, []byte{0xFF})
		case 1:
			b = insert(b, pos, []byte{byte(r.IntN(0x20))})
		case 2:
			if len(b) > 1 {
				end := min(len(b), pos+1+r.IntN(12))
				b = append(b[:pos:pos], b[end:]...)
			}
		case 3:
			if len(b) > 0 {
				from := r.IntN(len(b))
				frag := append([]byte(nil), b[from:min(len(b), from+1+r.IntN(20))]...)
				b = insert(b, pos, frag)
			}
		case 4:
			other := request(r)
			cut := r.IntN(len(other))
			if r.IntN(2) == 0 {
				b = insert(b, pos, other[:cut])
			} else {
				b = insert(b, pos, other[cut:])
			}
		default:
			if pos < len(b) {
				b[pos] = "[]{}:,\"'\\ "[r.IntN(10)]
			}
		}
	}
	return b
}

func insert(b []byte, pos int, frag []byte) []byte {
	out := make([]byte, 0, len(b)+len(frag))
	out = append(out, b[:pos]...)
	out = append(out, frag...)
	return append(out, b[pos:]...)
}

// splitWrites cuts the stream at random points into writes, and sometimes
// closes the connection at a cut.
func splitWrites(r *rand.Rand, b []byte) [][][]byte {
	conns := [][][]byte{nil}
	for len(b) > 0 {
		n := len(b)
		if r.IntN(3) > 0 {
			n = 1 + r.IntN(len(b))
		}
		cur := &conns[len(conns)-1]
		*cur = append(*cur, b[:n])
		b = b[n:]
		if len(b) > 0 && r.IntN(10) == 0 {
			conns = append(conns, nil)
		}
	}
	return conns
}
