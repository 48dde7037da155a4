package sim

import (
	"github.com/qgasim/qgasim/sim/fault"
	"github.com/qgasim/qgasim/sim/trace"
)

type faultSpec = fault.Spec

type traceEvent = trace.Event

func dropSpec(p float64) fault.Spec {
	return fault.Spec{Name: "drop", Kind: "drop", Dir: "h2a", Params: fault.Params{"p": fault.Num(p)}}
}

func corruptSpec(dir string) fault.Spec {
	return fault.Spec{Kind: "corrupt", Dir: dir, Params: fault.Params{"p": fault.Num(0.01)}}
}
