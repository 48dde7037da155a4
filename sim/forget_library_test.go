package sim_test

import (
	"bytes"
	"testing"

	"github.com/qgasim/qgasim/internal/scenariotest"
	"github.com/qgasim/qgasim/sim"
	"github.com/qgasim/qgasim/sim/trace"
)

// The library's traces are the same whether the World keeps every
// attribution record (as it did before it learnt to forget), trims them as
// usual, or trims them at every chance: every scenario, every strategy,
// several seeds.
func TestForgettingKeepsLibraryTraces(t *testing.T) {
	scenariotest.EachLibraryRun(t, 8, func(r scenariotest.LibraryRun) {
		var want []byte
		for _, f := range []sim.Forgetting{sim.ForgetNothing, sim.ForgetAsUsual, sim.ForgetEagerly} {
			w, err := sim.New(r.Config)
			if err != nil {
				t.Fatal(err)
			}
			sim.SetForgetting(w, f)
			w.Run()
			if n := sim.Missed(w); n != 0 {
				t.Fatalf("%s: %d questions about forgotten records", r, n)
			}
			var b bytes.Buffer
			if err := trace.WriteAll(&b, w.Trace()); err != nil {
				t.Fatal(err)
			}
			if want == nil {
				want = b.Bytes()
			} else if !bytes.Equal(want, b.Bytes()) {
				t.Fatalf("%s: forgetting %d changed the trace", r, f)
			}
		}
	})
}
