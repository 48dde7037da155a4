package ladder

import (
	"flag"
	"testing"

	"github.com/qgasim/qgasim/internal/scenariotest"
	"github.com/qgasim/qgasim/scenarios"
	"github.com/qgasim/qgasim/ui/model"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// library runs a scenario of the library and builds its ladder.
func library(t testing.TB, name string) (*Ladder, *scenarios.Run) {
	t.Helper()
	sc := scenariotest.Library(t, name)
	run := scenariotest.Execute(t, sc)
	info := model.Info{Scenario: sc.Name, Description: sc.Description, Seed: run.Config.Seed, Transport: sc.Transport, Strategy: sc.Client.Strategy}
	return Build(info, run.Events, run.Summary, Options{}), run
}
