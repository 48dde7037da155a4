package sim

import (
	"hash/fnv"
	"math/rand/v2"
)

// Stream returns the random stream of one component: a PCG seeded with the
// run's seed and a hash of the component's name. Each component draws only
// from its own stream, so adding a fault does not change another's draws.
func Stream(seed uint64, name string) *rand.Rand {
	return rand.New(Source(seed, name))
}

// Source is the PCG under Stream(seed, name), for a component that draws
// from it directly (package draw: the same values, without the Rand).
func Source(seed uint64, name string) *rand.PCG {
	h := fnv.New64a()
	h.Write([]byte(name))
	return rand.NewPCG(seed, h.Sum64())
}

// source is the PCG of one of the World's components (Source).
func (w *World) source(name string) *rand.PCG { return Source(w.cfg.Seed, name) }
