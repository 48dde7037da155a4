package check

import (
	"math/rand/v2"
	"testing"
)

// openSet answers as a map would, whether few requests are open at once
// or many, and in whatever order they end.
func TestOpenSetAsMap(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	var s openSet
	m := map[int]*pending{}
	next := 1
	for step := range 20000 {
		// Phases of few and of many requests open at once.
		target := 2
		if step/1000%2 == 1 {
			target = 3 * maxFew
		}
		switch {
		case rng.IntN(2*target) >= len(m):
			p := &pending{r: &Request{Req: next}}
			if rng.IntN(50) == 0 && next > 1 {
				p.r.Req = next - 1 - rng.IntN(min(next-1, 5)) // a number again: replaces
			} else {
				next++
			}
			s.put(p)
			m[p.r.Req] = p
		default:
			req := next - 1 - rng.IntN(min(next, 3*target))
			s.remove(req)
			delete(m, req)
		}
		if s.len() != len(m) {
			t.Fatalf("step %d: %d open, want %d", step, s.len(), len(m))
		}
		for _, req := range []int{next - 1, next - 2, next - maxFew, next, 0} {
			if got := s.get(req); got != m[req] {
				t.Fatalf("step %d: get(%d) = %v, want %v", step, req, got, m[req])
			}
		}
		n := 0
		s.each(func(p *pending) {
			if m[p.r.Req] != p {
				t.Fatalf("step %d: each gave %d, not open", step, p.r.Req)
			}
			n++
		})
		if n != len(m) {
			t.Fatalf("step %d: each gave %d, want %d", step, n, len(m))
		}
	}
}
