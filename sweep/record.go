package sweep

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"unicode/utf8"

	"github.com/qgasim/qgasim/sim/check"
)

// Format is the version of the lines a sweep writes (docs/sweep.md):
// raised when a field changes meaning or goes away, not when one is added.
const Format = 1

// Line kinds.
const (
	KindSweep = "sweep" // the first line: what the sweep ran
	KindRun   = "run"   // every other line: one run
)

// Record is one run of a sweep: one scenario, one strategy, one seed, and
// what the oracle and the expectations said. It is one line of --out, and
// the summary table is computed from Records alone.
type Record struct {
	Scenario string // the scenario as the sweep names it (a path, or a library name)
	Strategy string
	Seed     uint64
	Pass     bool // every expectation held
	Requests int
	// Counts are the requests per verdict, indexed as check.Verdicts (nil:
	// none).
	Counts  []int
	Lost    int // requests the agent never answered
	Dropped int // replies the agent could not write
	// Resyncs is the number of resync episodes; ResyncMedian and
	// ResyncMax are over the finished ones, in ns (0 when none finished).
	Resyncs      int
	ResyncMedian int64
	ResyncMax    int64
	Virtual      int64     // virtual time at the end of the run, ns
	Failed       []Failure // the expectations that failed
	Error        string    // the run stopped with this error (a failure too)
}

// Failure is one expectation that failed: as written, and what the run
// showed.
type Failure struct {
	What string `json:"what"`
	Why  string `json:"why"`
}

// Count is the number of requests with verdict v.
func (r *Record) Count(v check.Verdict) int {
	if i := verdictIndex(v); i >= 0 && i < len(r.Counts) {
		return r.Counts[i]
	}
	return 0
}

func verdictIndex(v check.Verdict) int {
	for i, x := range check.Verdicts {
		if x == v {
			return i
		}
	}
	return -1
}

// AppendJSON appends the record as one line of JSON, newline included.
// Fields come in a fixed order, so that the same runs give the same bytes.
func (r *Record) AppendJSON(b []byte) []byte {
	b = append(b, `{"format":`...)
	b = strconv.AppendInt(b, Format, 10)
	b = append(b, `,"kind":"run","scenario":`...)
	b = appendString(b, r.Scenario)
	b = append(b, `,"strategy":`...)
	b = appendString(b, r.Strategy)
	b = append(b, `,"seed":`...)
	b = strconv.AppendUint(b, r.Seed, 10)
	b = append(b, `,"pass":`...)
	b = strconv.AppendBool(b, r.Pass)
	b = append(b, `,"requests":`...)
	b = strconv.AppendInt(b, int64(r.Requests), 10)
	b = append(b, `,"counts":{`...)
	first := true
	for i, n := range r.Counts {
		if n == 0 {
			continue
		}
		v := check.Verdicts[i]
		if !first {
			b = append(b, ',')
		}
		first = false
		b = appendString(b, string(v))
		b = append(b, ':')
		b = strconv.AppendInt(b, int64(n), 10)
	}
	b = append(b, `},"lost":`...)
	b = strconv.AppendInt(b, int64(r.Lost), 10)
	b = append(b, `,"dropped":`...)
	b = strconv.AppendInt(b, int64(r.Dropped), 10)
	b = append(b, `,"resync":{"episodes":`...)
	b = strconv.AppendInt(b, int64(r.Resyncs), 10)
	b = append(b, `,"median_ns":`...)
	b = strconv.AppendInt(b, r.ResyncMedian, 10)
	b = append(b, `,"max_ns":`...)
	b = strconv.AppendInt(b, r.ResyncMax, 10)
	b = append(b, `},"virtual_ns":`...)
	b = strconv.AppendInt(b, r.Virtual, 10)
	if len(r.Failed) > 0 {
		b = append(b, `,"failed":[`...)
		for i, f := range r.Failed {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"what":`...)
			b = appendString(b, f.What)
			b = append(b, `,"why":`...)
			b = appendString(b, f.Why)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	if r.Error != "" {
		b = append(b, `,"error":`...)
		b = appendString(b, r.Error)
	}
	return append(b, "}\n"...)
}

// appendString appends s as a JSON string, as encoding/json writes it.
func appendString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' || c >= utf8.RuneSelf {
			q, _ := json.Marshal(s)
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// runLine is a run line as encoding/json reads it.
type runLine struct {
	Format    *int           `json:"format"`
	Kind      string         `json:"kind"`
	Scenario  *string        `json:"scenario"`
	Strategy  *string        `json:"strategy"`
	Seed      *uint64        `json:"seed"`
	Pass      *bool          `json:"pass"`
	Requests  int            `json:"requests"`
	Counts    map[string]int `json:"counts"`
	Lost      int            `json:"lost"`
	Dropped   int            `json:"dropped"`
	Resync    resyncLine     `json:"resync"`
	VirtualNS int64          `json:"virtual_ns"`
	Failed    []Failure      `json:"failed"`
	Error     string         `json:"error"`
}

type resyncLine struct {
	Episodes int   `json:"episodes"`
	MedianNS int64 `json:"median_ns"`
	MaxNS    int64 `json:"max_ns"`
}

// ErrFormat is wrapped by every error about a line that is not a sweep's.
var ErrFormat = errors.New("not a line of a qgasim sweep")

// ParseRecord reads one run line. Fields it does not know are ignored: a
// later qgasim may add some without changing the format.
func ParseRecord(line []byte) (Record, error) {
	var l runLine
	if err := json.Unmarshal(line, &l); err != nil {
		return Record{}, fmt.Errorf("%w: %v", ErrFormat, err)
	}
	if err := checkFormat(l.Format, l.Kind, KindRun); err != nil {
		return Record{}, err
	}
	if l.Scenario == nil || l.Strategy == nil || l.Seed == nil || l.Pass == nil {
		return Record{}, fmt.Errorf("%w: a run line needs scenario, strategy, seed and pass", ErrFormat)
	}
	r := Record{Scenario: *l.Scenario, Strategy: *l.Strategy, Seed: *l.Seed, Pass: *l.Pass, Requests: l.Requests,
		Lost: l.Lost, Dropped: l.Dropped, Resyncs: l.Resync.Episodes, ResyncMedian: l.Resync.MedianNS,
		ResyncMax: l.Resync.MaxNS, Virtual: l.VirtualNS, Failed: l.Failed, Error: l.Error}
	for name, n := range l.Counts {
		i := verdictIndex(check.Verdict(name))
		if i < 0 {
			return Record{}, fmt.Errorf("%w: unknown verdict %q in counts", ErrFormat, name)
		}
		if r.Counts == nil {
			r.Counts = make([]int, len(check.Verdicts))
		}
		r.Counts[i] = n
	}
	return r, nil
}

func checkFormat(format *int, kind, want string) error {
	if format == nil {
		return fmt.Errorf("%w: no format field", ErrFormat)
	}
	if *format != Format {
		return fmt.Errorf("%w: format %d, and this qgasim reads format %d", ErrFormat, *format, Format)
	}
	if kind != want {
		return fmt.Errorf("%w: kind %q where a %q line belongs", ErrFormat, kind, want)
	}
	return nil
}
