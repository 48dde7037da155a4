package trace_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/qgasim/qgasim/internal/scenariotest"
	"github.com/qgasim/qgasim/sim"
	"github.com/qgasim/qgasim/sim/trace"
)

// Every event of the library's runs (every strategy, a few seeds) encodes
// as json.Marshal encodes it: the trace files are what they were before
// the writer stopped using Marshal.
func TestAppendJSONOnLibrary(t *testing.T) {
	n := 0
	scenariotest.EachLibraryRun(t, 3, func(r scenariotest.LibraryRun) {
		cfg := r.Config
		cfg.NoKeep = true
		cfg.Sink = func(p *trace.Event) {
			ev := *p
			want, err := json.Marshal(ev)
			if err != nil {
				t.Fatal(err)
			}
			if got := trace.AppendJSON(nil, &ev); !bytes.Equal(got, want) {
				t.Fatalf("%s: AppendJSON differs from json.Marshal:\n got %s\nwant %s", r, got, want)
			}
			n++
		}
		w, err := sim.New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		w.Run()
	})
	t.Logf("%d events compared", n)
}
