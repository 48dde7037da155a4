package ladder

import (
	"flag"
	"path/filepath"
	"testing"

	"github.com/qgasim/qgasim/scenarios"
	"github.com/qgasim/qgasim/ui/model"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// library runs a scenario of the library and builds its ladder.
func library(t testing.TB, name string) (*Ladder, *scenarios.Run) {
	t.Helper()
	sc, err := scenarios.Load(filepath.Join("..", "..", "scenarios", name+".yaml"))
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := scenarios.Build(sc, nil)
	if err != nil {
		t.Fatal(err)
	}
	run, err := scenarios.Execute(sc, cfg)
	if err != nil {
		t.Fatal(err)
	}
	info := model.Info{Scenario: sc.Name, Description: sc.Description, Seed: cfg.Seed, Transport: sc.Transport, Strategy: sc.Client.Strategy}
	return Build(info, run.Events, run.Summary, Options{}), run
}

// libraryNames lists the scenarios of the library.
func libraryNames(t testing.TB) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("..", "..", "scenarios", "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no library scenarios: %v", err)
	}
	var names []string
	for _, f := range files {
		names = append(names, filepath.Base(f[:len(f)-len(".yaml")]))
	}
	return names
}
