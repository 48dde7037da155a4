package live_test

import (
	"bytes"
	"testing"
	"testing/synctest"
	"time"
)

// The package example in fake time: the same client, the same restarts,
// no waiting, and the same output as the example's.
func TestExampleInBubble(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var out bytes.Buffer
		start := time.Now()
		restarts, err := runExample(&out)
		if err != nil {
			t.Fatal(err)
		}
		want := ""
		for i := 1; i <= 6; i++ {
			want += "call " + string(rune('0'+i)) + ": {\"return\": {}}\n"
		}
		want += "misattributed: 0\n"
		if out.String() != want {
			t.Errorf("output:\n%s\nwant:\n%s", out.String(), want)
		}
		if restarts < 3 {
			t.Errorf("%d restarts under the client; the example should see several", restarts)
		}
		if d := time.Since(start); d < 2*time.Second {
			t.Errorf("the bubble's clock moved %v; six calls 400 ms apart take more", d)
		}
	})
}
