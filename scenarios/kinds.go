package scenarios

// FaultKinds lists the fault kinds a scenario may name. It is set from the
// fault table when the simulation's fault package provides one.
func FaultKinds() []string { return faultKindList }

var faultKindList = []string{"corrupt", "delay", "drop", "duplicate", "burst", "freeze", "reboot",
	"reconnect-host", "rechunk", "restart-agent", "stall", "truncate"}
