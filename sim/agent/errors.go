package agent

// Error classes qemu-ga 7.2 puts on the wire.
const (
	ClassGeneric         = "GenericError"
	ClassCommandNotFound = "CommandNotFound"
)

// cmdError is an error reply: {"error": {"class": C, "desc": D}}.
type cmdError struct {
	Class string
	Desc  string
}

func genericError(desc string) *cmdError { return &cmdError{Class: ClassGeneric, Desc: desc} }
