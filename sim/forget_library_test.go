package sim_test

import (
	"bytes"
	"path/filepath"
	"testing"

	"github.com/qgasim/qgasim/scenarios"
	"github.com/qgasim/qgasim/sim"
	"github.com/qgasim/qgasim/sim/client"
	"github.com/qgasim/qgasim/sim/trace"
)

// The library's traces are the same whether the World keeps every
// attribution record (as it did before it learnt to forget), trims them as
// usual, or trims them at every chance: every scenario, every strategy,
// several seeds.
func TestForgettingKeepsLibraryTraces(t *testing.T) {
	files, _ := filepath.Glob("../scenarios/*.yaml")
	if len(files) < 12 {
		t.Fatalf("library: %d files", len(files))
	}
	for _, f := range files {
		sc, err := scenarios.Load(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, strategy := range client.Names() {
			sc.Client.Strategy = strategy
			for seed := uint64(1); seed <= 8; seed++ {
				cfg, err := scenarios.Build(sc, &seed)
				if err != nil {
					t.Fatal(err)
				}
				var want []byte
				for _, f2 := range []sim.Forgetting{sim.ForgetNothing, sim.ForgetAsUsual, sim.ForgetEagerly} {
					w, err := sim.New(cfg)
					if err != nil {
						t.Fatal(err)
					}
					sim.SetForgetting(w, f2)
					w.Run()
					if n := sim.Missed(w); n != 0 {
						t.Fatalf("%s %s seed %d: %d questions about forgotten records", f, strategy, seed, n)
					}
					var b bytes.Buffer
					if err := trace.WriteAll(&b, w.Trace()); err != nil {
						t.Fatal(err)
					}
					if want == nil {
						want = b.Bytes()
					} else if !bytes.Equal(want, b.Bytes()) {
						t.Fatalf("%s %s seed %d: forgetting %d changed the trace", f, strategy, seed, f2)
					}
				}
			}
		}
	}
}
