package trace_test

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/qgasim/qgasim/scenarios"
	"github.com/qgasim/qgasim/sim"
	"github.com/qgasim/qgasim/sim/client"
	"github.com/qgasim/qgasim/sim/trace"
)

// Every event of the library's runs (every strategy, a few seeds) encodes
// as json.Marshal encodes it: the trace files are what they were before
// the writer stopped using Marshal.
func TestAppendJSONOnLibrary(t *testing.T) {
	files, _ := filepath.Glob("../../scenarios/*.yaml")
	if len(files) < 12 {
		t.Fatalf("library: %d files", len(files))
	}
	n := 0
	for _, f := range files {
		sc, err := scenarios.Load(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, strategy := range client.Names() {
			sc.Client.Strategy = strategy
			for seed := uint64(1); seed <= 3; seed++ {
				cfg, err := scenarios.Build(sc, &seed)
				if err != nil {
					t.Fatal(err)
				}
				cfg.NoKeep = true
				cfg.Sink = func(ev trace.Event) {
					want, err := json.Marshal(ev)
					if err != nil {
						t.Fatal(err)
					}
					if got := trace.AppendJSON(nil, &ev); !bytes.Equal(got, want) {
						t.Fatalf("%s seed %d: AppendJSON differs from json.Marshal:\n got %s\nwant %s", f, seed, got, want)
					}
					n++
				}
				w, err := sim.New(cfg)
				if err != nil {
					t.Fatal(err)
				}
				w.Run()
			}
		}
	}
	t.Logf("%d events compared", n)
}
