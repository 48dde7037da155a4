package scenarios

import "github.com/qgasim/qgasim/sim/fault"

// FaultKinds lists the fault kinds a scenario may name: the fault table's.
func FaultKinds() []string { return fault.Kinds() }
