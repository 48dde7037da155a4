package agentserver

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/qgasim/qgasim/sim/agent"
)

// StateDir is qemu-ga's state directory (-t DIR): qga.state holds the
// file-handle counter and qga.state.isfrozen marks a frozen guest, so a new
// agent on the same directory goes on counting handles and starts frozen.
type StateDir struct {
	dir  string
	last agent.Persistent // what the files hold
}

// OpenStateDir reads the state kept in dir (an existing directory).
func OpenStateDir(dir string) (*StateDir, *agent.Persistent, error) {
	fi, err := os.Stat(dir)
	if err != nil {
		return nil, nil, fmt.Errorf("state directory: %w", err)
	}
	if !fi.IsDir() {
		return nil, nil, fmt.Errorf("state directory %s is not a directory", dir)
	}
	state, err := os.ReadFile(filepath.Join(dir, agent.StateFileName))
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, nil, err
	}
	_, ferr := os.Lstat(filepath.Join(dir, agent.FrozenFileName))
	p, err := agent.LoadPersistent(state, ferr == nil)
	if err != nil {
		return nil, nil, fmt.Errorf("state directory %s: %w", dir, err)
	}
	sd := &StateDir{dir: dir, last: agent.Persistent{FDCounter: -1}}
	return sd, p, sd.Save(p)
}

// Save writes what changed: qga.state through a temporary file and a
// rename (an interrupted write never leaves half a file), the frozen
// marker created or removed.
func (sd *StateDir) Save(p *agent.Persistent) error {
	if p.FDCounter != sd.last.FDCounter {
		path := filepath.Join(sd.dir, agent.StateFileName)
		tmp := path + ".tmp"
		if err := os.WriteFile(tmp, p.StateFile(), 0o600); err != nil {
			return err
		}
		if err := os.Rename(tmp, path); err != nil {
			return err
		}
	}
	if p.Frozen != sd.last.Frozen || sd.last.FDCounter < 0 {
		marker := filepath.Join(sd.dir, agent.FrozenFileName)
		if p.Frozen {
			if err := os.WriteFile(marker, nil, 0o600); err != nil {
				return err
			}
		} else if err := os.Remove(marker); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	sd.last = *p
	return nil
}
