package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"sort"
	"strings"

	"github.com/qgasim/qgasim/internal/termsafe"
	"github.com/qgasim/qgasim/scenarios"
	"github.com/qgasim/qgasim/sim"
)

// scenarioArg is a scenario named on the command line: a file, or a
// scenario of the library built into the binary.
type scenarioArg struct {
	arg     string // as typed
	path    string // the file, when it is one
	library *scenarios.Entry
	data    []byte // the library file's bytes
}

// display is how messages name the scenario: the path, or the library
// file's name followed by "(library)".
func (s scenarioArg) display() string {
	if s.library != nil {
		return s.library.File + " (library)"
	}
	return s.path
}

// resolveScenario finds what arg names: a path that exists wins, then a
// library name (with or without .yaml). Neither is an error that lists the
// library names close to it.
func resolveScenario(arg string) (scenarioArg, error) {
	_, statErr := os.Stat(arg)
	if statErr == nil || !errors.Is(statErr, fs.ErrNotExist) {
		// A file, or something that exists but cannot be read: the
		// loader says which.
		return scenarioArg{arg: arg, path: arg}, nil
	}
	if e, data, ok := scenarios.LibraryFile(arg); ok {
		return scenarioArg{arg: arg, library: &e, data: data}, nil
	}
	return scenarioArg{}, fmt.Errorf("%s: no such file, and %w", arg, notInLibrary(arg))
}

// notInLibrary says that name is not in the library, and what is close.
func notInLibrary(name string) error {
	msg := fmt.Sprintf("no scenario %q in the library", strings.TrimSuffix(name, ".yaml"))
	if close := closeNames(name); len(close) > 0 {
		msg += "; did you mean " + strings.Join(close, ", ") + "?"
	}
	return errors.New(msg + " ('qgasim list' shows the library)")
}

// load reads and checks the scenario. A library file is named by its file
// name in problems, so that positions read file:line:column.
func (s scenarioArg) load() (*scenarios.Scenario, error) {
	if s.library != nil {
		return scenarios.Parse(s.library.File, s.data)
	}
	return scenarios.Load(s.path)
}

// files are the files the scenario is read from, for outputs to protect.
func (s scenarioArg) files() []string {
	if s.path == "" {
		return nil
	}
	return []string{s.path}
}

// loadScenario resolves, reads, checks and builds a scenario; on bad input
// it prints every problem to stderr and reports false. edits change the
// scenario before it is built (a flag that overrides a setting of the
// file, such as run's --max-events, which the build checks against).
func loadScenario(arg string, seed *uint64, stderr io.Writer, edits ...func(*scenarios.Scenario)) (scenarioArg, *scenarios.Scenario, sim.Config, bool) {
	src, err := resolveScenario(arg)
	if err != nil {
		printProblems(stderr, err)
		return src, nil, sim.Config{}, false
	}
	sc, err := src.load()
	if err != nil {
		printProblems(stderr, err)
		return src, nil, sim.Config{}, false
	}
	for _, edit := range edits {
		edit(sc)
	}
	cfg, err := scenarios.Build(sc, seed)
	if err != nil {
		printProblems(stderr, err)
		return src, nil, sim.Config{}, false
	}
	return src, sc, cfg, true
}

// printProblems prints a scenario's problems one a line. A problem echoes
// the file's text (a key, a value), so each is escaped to one line: a
// scenario cannot write an escape sequence or a line of its own.
func printProblems(w io.Writer, err error) {
	var probs scenarios.Problems
	if errors.As(err, &probs) {
		for _, p := range probs {
			fmt.Fprintln(w, termsafe.Line(p.String()))
		}
		return
	}
	fmt.Fprintln(w, termsafe.Block(err.Error(), "  "))
}

// closeNames are the library names that look like what was typed: those
// that contain it or that it contains, and those a few edits away.
func closeNames(typed string) []string {
	typed = strings.TrimSuffix(strings.ToLower(typed), ".yaml")
	if i := strings.LastIndexByte(typed, '/'); i >= 0 {
		typed = typed[i+1:]
	}
	type scored struct {
		name string
		d    int
	}
	var found []scored
	for _, e := range scenarios.Library() {
		d := editDistance(typed, e.Name)
		switch {
		case typed != "" && (strings.Contains(e.Name, typed) || strings.Contains(typed, e.Name)):
			found = append(found, scored{e.Name, 0})
		case d <= max(2, len(typed)/4):
			found = append(found, scored{e.Name, d})
		}
	}
	sort.SliceStable(found, func(i, j int) bool { return found[i].d < found[j].d })
	var out []string
	for i, f := range found {
		if i == 5 {
			break
		}
		out = append(out, f.name)
	}
	return out
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
