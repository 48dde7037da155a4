package htmlreport

import (
	"bytes"
	"testing"

	"github.com/qgasim/qgasim/internal/scenariotest"
)

// render runs a library scenario and writes its report.
func render(t testing.TB, name string) []byte {
	t.Helper()
	sc := scenariotest.Library(t, name)
	run := scenariotest.Execute(t, sc)
	var b bytes.Buffer
	if err := Write(&b, Input{Scenario: sc, Run: run, Command: "qgasim run " + name + " --seed 1", Version: "test"}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
