package live

import (
	"bufio"
	"errors"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/qgasim/qgasim/sim"
	"github.com/qgasim/qgasim/sim/fault"
)

// A fault injected by hand goes into the running session at once: a 0xFF
// written into the host's direction reaches the agent before the client's
// next request (qemu-ga answers the lone 0xFF with an error), the firing
// is in the report, freeze/thaw follow the simulated agent, and a closed
// session refuses.
func TestInjectByHand(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s, err := New(sim.Config{Seed: 1}, Options{})
		if err != nil {
			t.Fatal(err)
		}
		c, err := s.Dial()
		if err != nil {
			t.Fatal(err)
		}
		r := bufio.NewReader(c)
		if line, err := roundTrip(t, c, r, `{"execute":"guest-sync","arguments":{"id":1}}`, time.Second); err != nil || line != "{\"return\": 1}\n" {
			t.Fatalf("before: %q, %v", line, err)
		}
		ff := fault.Spec{Kind: "inject", Dir: "h2a", Params: fault.Params{"bytes": fault.Raw([]byte{0xff})}}
		if err := s.Inject(ff); err != nil {
			t.Fatal(err)
		}
		c.SetReadDeadline(time.Now().Add(time.Second))
		line, err := r.ReadString('\n')
		if err != nil || !strings.HasPrefix(line, `{"error": `) {
			t.Fatalf("after a 0xFF by hand: %q, %v (want the agent's error for it)", line, err)
		}
		if line, err := roundTrip(t, c, r, `{"execute":"guest-sync","arguments":{"id":2}}`, time.Second); err != nil || line != "{\"return\": 2}\n" {
			t.Fatalf("after: %q, %v", line, err)
		}
		if s.Frozen() {
			t.Fatal("frozen before any freeze")
		}
		if err := s.Inject(fault.Spec{Kind: "freeze"}); err != nil {
			t.Fatal(err)
		}
		if !s.Frozen() {
			t.Error("not frozen after a freeze by hand")
		}
		c.Close()
		if _, err := s.Close(); err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, f := range s.Report().Faults {
			names = append(names, f.Name)
		}
		if got := strings.Join(names, " "); got != "inject#1:inject inject#2:freeze" {
			t.Errorf("the report's faults: %q", got)
		}
		if err := s.Inject(ff); !errors.Is(err, ErrClosed) {
			t.Errorf("inject into a closed session: %v, want ErrClosed", err)
		}
	})
}
