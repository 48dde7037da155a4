package sweep

import (
	"sort"
	"testing"

	"github.com/qgasim/qgasim/scenarios"
)

// library loads a scenario of the library.
func library(tb testing.TB, name string) *scenarios.Scenario {
	tb.Helper()
	e, data, ok := scenarios.LibraryFile(name)
	if !ok {
		tb.Fatalf("no library scenario %q", name)
	}
	sc, err := scenarios.Parse(e.File, data)
	if err != nil {
		tb.Fatal(err)
	}
	return sc
}

func slicesSort(v []int64)   { sort.Slice(v, func(i, j int) bool { return v[i] < v[j] }) }
func slicesSortU(v []uint64) { sort.Slice(v, func(i, j int) bool { return v[i] < v[j] }) }
