package main

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/qgasim/qgasim/scenarios"
	"github.com/qgasim/qgasim/sim/check"
	"github.com/qgasim/qgasim/sim/client"
)

// The report of a streamed run is the report built from the kept events,
// word for word, on the library at many seeds with every strategy.
func TestReportUnchanged(t *testing.T) {
	files, _ := filepath.Glob("../../scenarios/*.yaml")
	n := 0
	for _, f := range files {
		sc, err := scenarios.Load(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, strategy := range client.Names() {
			sc.Client.Strategy = strategy
			for seed := uint64(1); seed <= 20; seed++ {
				cfg, err := scenarios.Build(sc, &seed)
				if err != nil {
					t.Fatal(err)
				}
				kept, err := scenarios.Execute(sc, cfg)
				if err != nil {
					t.Fatal(err)
				}
				old := &oldReport{sc: sc, cfg: cfg, events: kept.Events, summary: kept.Summary, results: kept.Results, virtual: kept.Virtual}
				rep, err := runScenario(context.Background(), sc, cfg, nil, check.DefaultList)
				if err != nil {
					t.Fatal(err)
				}
				rep.wall = 0
				var a, b bytes.Buffer
				old.Text(&a)
				rep.Text(&b)
				if a.String() != b.String() {
					t.Fatalf("%s %s seed %d: the report changed\n--- old\n%s--- new\n%s", f, strategy, seed, a.String(), b.String())
				}
				oj, _ := json.Marshal(old.JSON())
				j := rep.JSON()
				j.RequestsTotal, j.FaultsTotal = 0, 0
				nj, _ := json.Marshal(j)
				nj = bytes.Replace(nj, []byte(`,"requests_total":0,"faults_total":0`), nil, 1)
				if !bytes.Equal(oj, nj) {
					t.Fatalf("%s %s seed %d: the JSON report changed\n--- old\n%s\n--- new\n%s", f, strategy, seed, oj, nj)
				}
				n++
			}
		}
	}
	t.Logf("%d reports compared", n)
}
