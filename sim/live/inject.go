package live

import (
	"time"

	"github.com/qgasim/qgasim/sim/fault"
)

// Inject fires a fault now, by hand (the terminal UI's fault keys), as
// World.Inject does in a scenario run: at the session's virtual time of
// this wall instant. Its firing is traced and listed in the report like a
// scenario's. Faults that need the simulated agent (freeze, thaw) are
// refused in a proxy session. It reports ErrClosed once the session has
// ended.
func (s *Session) Inject(spec fault.Spec) error {
	var err error
	if aerr := s.act(time.Now(), func() { err = s.w.Inject(spec) }); aerr != nil {
		return aerr
	}
	return err
}

// Frozen reports whether the simulated agent's guest file systems are
// frozen (always false with a real agent: the session cannot know).
func (s *Session) Frozen() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.opts.Agent != nil {
		return false
	}
	a := s.w.Agent()
	return a != nil && a.Frozen()
}
