package sweep

import (
	"encoding/json"
	"fmt"
)

// Header is the first line of a sweep's output: what it ran, so that
// shards can be checked to belong together and to cover the whole sweep
// when they are merged.
type Header struct {
	Format int    `json:"format"`
	Kind   string `json:"kind"`   // KindSweep
	Qgasim string `json:"qgasim"` // the version that ran it
	Seeds  Seeds  `json:"-"`
	Shard  Shard  `json:"-"`
	// Scenarios in the order of the lines.
	Scenarios []ScenarioInfo `json:"scenarios"`
}

// ScenarioInfo is one scenario of a sweep.
type ScenarioInfo struct {
	// Scenario is how the sweep names it: the path given, or a library
	// name; run lines and the commands that replay a run use it.
	Scenario string `json:"scenario"`
	Name     string `json:"name"`   // its name: key
	SHA256   string `json:"sha256"` // of the file's bytes
	// Strategies in the order of the lines.
	Strategies []string `json:"strategies"`
}

type headerLine struct {
	Format    *int           `json:"format"`
	Kind      string         `json:"kind"`
	Qgasim    string         `json:"qgasim"`
	Seeds     string         `json:"seeds"`
	Shard     string         `json:"shard"`
	Scenarios []ScenarioInfo `json:"scenarios"`
}

// AppendJSON appends the header as one line of JSON, newline included.
func (h Header) AppendJSON(b []byte) []byte {
	f := Format
	out, err := json.Marshal(headerLine{Format: &f, Kind: KindSweep, Qgasim: h.Qgasim, Seeds: h.Seeds.String(),
		Shard: h.Shard.String(), Scenarios: h.Scenarios})
	if err != nil {
		panic("sweep: a header does not encode: " + err.Error()) // strings and slices only
	}
	return append(append(b, out...), '\n')
}

// ParseHeader reads the first line of a sweep's output.
func ParseHeader(line []byte) (Header, error) {
	var l headerLine
	if err := json.Unmarshal(line, &l); err != nil {
		return Header{}, fmt.Errorf("%w: %v", ErrFormat, err)
	}
	if err := checkFormat(l.Format, l.Kind, KindSweep); err != nil {
		return Header{}, err
	}
	seeds, err := ParseSeeds(l.Seeds)
	if err != nil {
		return Header{}, fmt.Errorf("%w: seeds: %v", ErrFormat, err)
	}
	shard, err := ParseShard(l.Shard)
	if err != nil {
		return Header{}, fmt.Errorf("%w: shard: %v", ErrFormat, err)
	}
	if len(l.Scenarios) == 0 {
		return Header{}, fmt.Errorf("%w: the sweep names no scenario", ErrFormat)
	}
	seen := map[string]bool{}
	for _, s := range l.Scenarios {
		if s.Scenario == "" || len(s.Strategies) == 0 {
			return Header{}, fmt.Errorf("%w: a scenario without a name or strategies", ErrFormat)
		}
		if seen[s.Scenario] {
			return Header{}, fmt.Errorf("%w: scenario %q is named twice", ErrFormat, s.Scenario)
		}
		seen[s.Scenario] = true
		st := map[string]bool{}
		for _, x := range s.Strategies {
			if st[x] {
				return Header{}, fmt.Errorf("%w: scenario %q names strategy %q twice", ErrFormat, s.Scenario, x)
			}
			st[x] = true
		}
	}
	return Header{Format: *l.Format, Kind: l.Kind, Qgasim: l.Qgasim, Seeds: seeds, Shard: shard, Scenarios: l.Scenarios}, nil
}

// Runs is how many runs the sweep's shard makes.
func (h *Header) Runs() uint64 {
	var n uint64
	for _, s := range h.Scenarios {
		n += uint64(len(s.Strategies)) * h.Shard.Size(h.Seeds)
	}
	return n
}

// sameSweep reports whether two headers describe shards of one sweep, and
// if not, how they differ.
func (h *Header) sameSweep(o *Header) error {
	if h.Seeds != o.Seeds {
		return fmt.Errorf("seeds %s and %s", h.Seeds, o.Seeds)
	}
	if h.Shard.Count != o.Shard.Count {
		return fmt.Errorf("split into %d and %d shards", h.Shard.Count, o.Shard.Count)
	}
	if len(h.Scenarios) != len(o.Scenarios) {
		return fmt.Errorf("%d and %d scenarios", len(h.Scenarios), len(o.Scenarios))
	}
	for i, a := range h.Scenarios {
		b := o.Scenarios[i]
		switch {
		case a.Scenario != b.Scenario:
			return fmt.Errorf("scenario %d is %q and %q", i+1, a.Scenario, b.Scenario)
		case a.SHA256 != b.SHA256:
			return fmt.Errorf("scenario %q has different contents (sha256 %.12s... and %.12s...)", a.Scenario, a.SHA256, b.SHA256)
		case fmt.Sprint(a.Strategies) != fmt.Sprint(b.Strategies):
			return fmt.Errorf("scenario %q with strategies %v and %v", a.Scenario, a.Strategies, b.Strategies)
		}
	}
	return nil
}
