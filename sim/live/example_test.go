package live_test

import (
	"bufio"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"strings"
	"time"

	"github.com/qgasim/qgasim/sim"
	"github.com/qgasim/qgasim/sim/fault"
	"github.com/qgasim/qgasim/sim/live"
)

// syncCall is a small client of the kind this package is for: it asks for
// cmd the way qemu-ga documents, so that nothing a faulty channel leaves
// behind can be taken for the answer. It writes 0xFF (which flushes
// whatever half message the agent's parser holds), then
// guest-sync-delimited with a fresh id; it skips everything up to the 0xFF
// the agent puts before that reply and checks the id; then it sends the
// command and reads one line. On a timeout or an error it starts over,
// until its deadline.
func syncCall(c net.Conn, r *bufio.Reader, cmd string, deadline time.Time) (string, error) {
	for time.Now().Before(deadline) {
		id := rand.Int64N(1 << 53)
		fmt.Fprintf(c, "\xff{\"execute\":\"guest-sync-delimited\",\"arguments\":{\"id\":%d}}", id)
		c.SetReadDeadline(time.Now().Add(100 * time.Millisecond))
		if !awaitSync(r, id) {
			continue
		}
		fmt.Fprintf(c, "{\"execute\":%q}", cmd)
		line, err := r.ReadString('\n')
		if err != nil || strings.HasPrefix(line, "\xff") || strings.HasPrefix(line, `{"error"`) {
			continue
		}
		return strings.TrimSpace(line), nil
	}
	return "", fmt.Errorf("%s: no answer before the deadline", cmd)
}

// awaitSync skips to the 0xFF sentinel and wants the sync's own id after it.
func awaitSync(r *bufio.Reader, id int64) bool {
	want := fmt.Sprintf(`{"return": %d}`, id)
	for {
		if _, err := r.ReadBytes(0xFF); err != nil {
			return false
		}
		line, err := r.ReadString('\n')
		if err != nil {
			return false
		}
		if strings.TrimSpace(line) == want {
			return true
		}
	}
}

// runExample puts syncCall in front of a simulated agent that a fault kills
// every 700 ms (it is back 200 ms later), on an in-process connection,
// and prints what each call got and what the oracle saw.
func runExample(out io.Writer) (restarts int, err error) {
	every := 700 * time.Millisecond
	cfg := sim.Config{Seed: 7, Faults: []fault.Spec{{Kind: "restart-agent",
		Params: fault.Params{"down": fault.Dur(200 * time.Millisecond)}, Trigger: fault.Trigger{At: &every, Every: every}}}}
	s, err := live.New(cfg, live.Options{})
	if err != nil {
		return 0, err
	}
	conn, err := s.Dial()
	if err != nil {
		return 0, err
	}
	r := bufio.NewReader(conn)
	for i := range 6 {
		line, err := syncCall(conn, r, "guest-ping", time.Now().Add(5*time.Second))
		if err != nil {
			return 0, err
		}
		fmt.Fprintf(out, "call %d: %s\n", i+1, line)
		time.Sleep(400 * time.Millisecond)
	}
	conn.Close()
	sum, err := s.Close()
	if err != nil {
		return 0, err
	}
	for _, f := range s.Report().Faults {
		if strings.HasPrefix(f.Name, "restart-agent") {
			restarts++
		}
	}
	fmt.Fprintf(out, "misattributed: %d\n", sum.Counts["misattributed"])
	return restarts, nil
}

// A client written against a scenario's simulated agent, on an in-process
// connection, with the agent restarted under it. Here it runs in real time
// (about three seconds); TestExampleInBubble runs the same code inside a
// testing/synctest bubble, where it takes no time and always makes the
// same choices:
//
//	synctest.Test(t, func(t *testing.T) {
//		restarts, err := runExample(&out)
//		...
//	})
func Example() {
	if _, err := runExample(stdout{}); err != nil {
		fmt.Println(err)
	}
	// Output:
	// call 1: {"return": {}}
	// call 2: {"return": {}}
	// call 3: {"return": {}}
	// call 4: {"return": {}}
	// call 5: {"return": {}}
	// call 6: {"return": {}}
	// misattributed: 0
}

type stdout struct{}

func (stdout) Write(p []byte) (int, error) { fmt.Print(string(p)); return len(p), nil }
