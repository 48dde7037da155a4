package sweep

import (
	"bufio"
	"container/heap"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Source is one file of a sweep's lines: a shard, or a whole sweep.
type Source struct {
	Name string // for messages
	R    io.Reader
}

// maxLine bounds a line of a sweep's output: a run line is a few hundred
// bytes, a header grows with the scenarios named.
const maxLine = 16 << 20

// Merger reads the outputs of the shards of one sweep and gives every run
// in the order of the lines of the whole sweep, reading each file once, as
// a stream (its memory does not grow with the runs).
type Merger struct {
	whole Header
	ins   []*input
}

// NewMerger reads the files' headers and checks that they are the shards
// of one sweep, each once and all of them: the same scenarios (by
// contents), strategies, seeds and number of shards.
func NewMerger(srcs []Source) (*Merger, error) {
	if len(srcs) == 0 {
		return nil, errors.New("no files to merge")
	}
	ins := make([]*input, len(srcs))
	for i, s := range srcs {
		in := &input{name: s.Name, sc: bufio.NewScanner(s.R)}
		in.sc.Buffer(make([]byte, 0, 64<<10), maxLine)
		h, err := in.header()
		if err != nil {
			return nil, err
		}
		in.h = h
		ins[i] = in
	}
	whole := ins[0].h
	byShard := map[uint64]string{}
	for _, in := range ins {
		if err := whole.sameSweep(&in.h); err != nil {
			return nil, fmt.Errorf("%s and %s are not shards of one sweep: %v", ins[0].name, in.name, err)
		}
		if other, ok := byShard[in.h.Shard.Index]; ok {
			return nil, fmt.Errorf("%s and %s are both shard %s", other, in.name, in.h.Shard)
		}
		byShard[in.h.Shard.Index] = in.name
	}
	if missing := missingShards(byShard, whole.Shard.Count); len(missing) > 0 {
		return nil, fmt.Errorf("shards missing: %s (the file of each of the %d shards is needed once)", strings.Join(missing, ", "), whole.Shard.Count)
	}
	whole.Shard = Whole
	return &Merger{whole: whole, ins: ins}, nil
}

// Header is the header of the whole sweep (its shard Whole).
func (m *Merger) Header() Header { return m.whole }

// Versions are the qgasim versions that ran the shards, when they differ.
func (m *Merger) Versions() []string {
	seen := map[string]bool{}
	var out []string
	for _, in := range m.ins {
		if !seen[in.h.Qgasim] {
			seen[in.h.Qgasim] = true
			out = append(out, in.h.Qgasim)
		}
	}
	if len(out) < 2 {
		return nil
	}
	return out
}

// Run calls emit with every run, in the order of the lines of the whole
// sweep. For a file that is not whole (a run missing, one out of order, one
// that belongs to another shard) it returns an error that names the file
// and the line.
func (m *Merger) Run(emit func(*Record) error) error {
	order := newOrder(&m.whole)
	h := &mergeHeap{}
	for _, in := range m.ins {
		in.order = order
		if err := in.advance(); err != nil {
			return err
		}
		if in.cur != nil {
			heap.Push(h, in)
		}
	}
	for h.Len() > 0 {
		in := h.ins[0]
		if err := emit(in.cur); err != nil {
			return err
		}
		if err := in.advance(); err != nil {
			return err
		}
		if in.cur == nil {
			heap.Pop(h)
		} else {
			heap.Fix(h, 0)
		}
	}
	for _, in := range m.ins {
		if want := in.h.Runs(); in.runs != want {
			return fmt.Errorf("%s: %d runs of the %d of shard %s: the file is cut", in.name, in.runs, want, in.h.Shard)
		}
	}
	return nil
}

func missingShards(have map[uint64]string, n uint64) []string {
	var out []string
	for i := uint64(0); i < n; i++ {
		if _, ok := have[i]; !ok {
			if len(out) == 10 {
				out = append(out, "...")
				break
			}
			out = append(out, fmt.Sprintf("%d/%d", i, n))
		}
	}
	return out
}

// order is the place of each scenario and strategy in the lines.
type order struct {
	scenario map[string]int
	strategy map[string]map[string]int
}

func newOrder(h *Header) *order {
	o := &order{scenario: map[string]int{}, strategy: map[string]map[string]int{}}
	for i, s := range h.Scenarios {
		o.scenario[s.Scenario] = i
		m := map[string]int{}
		for j, st := range s.Strategies {
			m[st] = j
		}
		o.strategy[s.Scenario] = m
	}
	return o
}

type key struct {
	scenario, strategy int
	seed               uint64
}

func (k key) less(o key) bool {
	if k.scenario != o.scenario {
		return k.scenario < o.scenario
	}
	if k.strategy != o.strategy {
		return k.strategy < o.strategy
	}
	return k.seed < o.seed
}

// lineError says what a scanner's error means for a sweep's file.
func lineError(err error) error {
	if errors.Is(err, bufio.ErrTooLong) {
		return fmt.Errorf("a line longer than %d MiB: not a line of a qgasim sweep", maxLine>>20)
	}
	return err
}

// input is one file being merged.
type input struct {
	name  string
	sc    *bufio.Scanner
	h     Header
	order *order
	line  int
	cur   *Record
	key   key
	runs  uint64
}

func (in *input) header() (Header, error) {
	if !in.sc.Scan() {
		if err := in.sc.Err(); err != nil {
			return Header{}, fmt.Errorf("%s:1: %v", in.name, lineError(err))
		}
		return Header{}, fmt.Errorf("%s: empty: a sweep's output starts with its header line", in.name)
	}
	in.line = 1
	h, err := ParseHeader(in.sc.Bytes())
	if err != nil {
		return Header{}, fmt.Errorf("%s:1: %v", in.name, err)
	}
	return h, nil
}

// advance reads the next run, checking that it belongs to the file's
// shard and comes after the one before.
func (in *input) advance() error {
	prev, had := in.key, in.cur != nil
	in.cur = nil
	if !in.sc.Scan() {
		if err := in.sc.Err(); err != nil {
			return fmt.Errorf("%s:%d: %v", in.name, in.line+1, lineError(err))
		}
		return nil
	}
	in.line++
	r, err := ParseRecord(in.sc.Bytes())
	if err != nil {
		return fmt.Errorf("%s:%d: %v", in.name, in.line, err)
	}
	si, ok := in.order.scenario[r.Scenario]
	if !ok {
		return fmt.Errorf("%s:%d: a run of scenario %q, which the header does not name", in.name, in.line, r.Scenario)
	}
	sti, ok := in.order.strategy[r.Scenario][r.Strategy]
	if !ok {
		return fmt.Errorf("%s:%d: a run of %q with strategy %q, which the header does not name", in.name, in.line, r.Scenario, r.Strategy)
	}
	if !in.h.Shard.Owns(in.h.Seeds, r.Seed) {
		return fmt.Errorf("%s:%d: seed %d is not shard %s's (of seeds %s)", in.name, in.line, r.Seed, in.h.Shard, in.h.Seeds)
	}
	k := key{si, sti, r.Seed}
	if had && !prev.less(k) {
		return fmt.Errorf("%s:%d: run %s %s seed %d is out of order or repeated", in.name, in.line, r.Scenario, r.Strategy, r.Seed)
	}
	in.cur, in.key = &r, k
	in.runs++
	return nil
}

type mergeHeap struct{ ins []*input }

func (h *mergeHeap) Len() int           { return len(h.ins) }
func (h *mergeHeap) Less(i, j int) bool { return h.ins[i].key.less(h.ins[j].key) }
func (h *mergeHeap) Swap(i, j int)      { h.ins[i], h.ins[j] = h.ins[j], h.ins[i] }
func (h *mergeHeap) Push(x any)         { h.ins = append(h.ins, x.(*input)) }
func (h *mergeHeap) Pop() any {
	x := h.ins[len(h.ins)-1]
	h.ins = h.ins[:len(h.ins)-1]
	return x
}
