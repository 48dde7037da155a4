package sim

import (
	"hash/fnv"
	"math/rand/v2"
)

// Stream returns the random stream of one component: a PCG seeded with the
// run's seed and a hash of the component's name. Each component draws only
// from its own stream, so adding a fault does not change another's draws.
func Stream(seed uint64, name string) *rand.Rand {
	h := fnv.New64a()
	h.Write([]byte(name))
	return rand.New(rand.NewPCG(seed, h.Sum64()))
}
