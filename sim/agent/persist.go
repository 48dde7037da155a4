package agent

import (
	"fmt"
	"strconv"
)

// The state directory on disk (qemu-ga -t DIR): qga.state is a key file
// holding the handle counter ("[global]" then "fd_counter=N"), and the
// empty file qga.state.isfrozen marks a guest frozen by an agent that has
// not thawed it. The agent core keeps this in Persistent; a shell that has
// a real state directory reads and writes these files.

// State file names inside the state directory.
const (
	StateFileName  = "qga.state"
	FrozenFileName = "qga.state.isfrozen"
)

// LoadPersistent reads qga.state (nil for a state directory without one)
// and whether the frozen marker exists. A state file qemu-ga could not read
// stops it from starting; so it is an error here.
func LoadPersistent(state []byte, frozen bool) (*Persistent, error) {
	p := NewPersistent()
	p.Frozen = frozen
	if state == nil {
		return p, nil
	}
	kf, err := parseKeyFile(state)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", StateFileName, err)
	}
	if v, ok := kf.value("global", "fd_counter"); ok {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			return nil, fmt.Errorf("%s: fd_counter %q is not a handle number", StateFileName, v)
		}
		p.FDCounter = n
	}
	return p, nil
}

// StateFile is the content of qga.state for this state.
func (p *Persistent) StateFile() []byte {
	return []byte("[global]\nfd_counter=" + strconv.FormatInt(p.FDCounter, 10) + "\n")
}
