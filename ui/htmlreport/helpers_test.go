package htmlreport

import (
	"bytes"
	"path/filepath"
	"testing"

	"github.com/qgasim/qgasim/scenarios"
)

// render runs a library scenario and writes its report.
func render(t testing.TB, name string) []byte {
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
	var b bytes.Buffer
	if err := Write(&b, Input{Scenario: sc, Run: run, Command: "qgasim run " + name + " --seed 1", Version: "test"}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
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
