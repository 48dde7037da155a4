package qjson

import (
	"bytes"
	"testing"

	"github.com/qgasim/qgasim/internal/heappeak"
)

// A client that sends a string, a keyword or a number without end gets
// "token too long" errors as qemu-ga gives them, and the parser holds no
// more than one token's worth of buffer for it (64 MiB, and the half of
// it it grew from while it copies): not a buffer grown past the limit,
// nor one kept from the token before. (The buffer grew to 80 MiB by
// append's rule, and a keyword restarted in the middle of an oversize
// string grew a second one: 212 MiB held.)
func TestAnEndlessTokenHoldsBoundedMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("feeds 300 MiB")
	}
	chunk := bytes.Repeat([]byte("a"), 64<<10)
	for _, start := range []string{`{"execute":"`, ``, `{"execute":1`} {
		var p Parser
		errs := 0
		peak := heappeak.Peak(func() {
			p.Feed([]byte(start), func(Message) {})
			for range (300 << 20) / len(chunk) {
				p.Feed(chunk, func(m Message) {
					if m.Err == ErrTokenSize {
						errs++
					}
				})
			}
		})
		t.Logf("%q then 300 MiB of a: %d errors, peak live heap %d MiB", start, errs, peak>>20)
		if errs < 4 {
			t.Errorf("%q: %d token size errors for 300 MiB", start, errs)
		}
		if peak > 100<<20 {
			t.Errorf("%q then 300 MiB without end: %d MiB held, want at most 100", start, peak>>20)
		}
	}
}
