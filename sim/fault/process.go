package fault

import (
	"time"

	"github.com/qgasim/qgasim/sim/link"
)

// process is the shared shape of the faults that act on a process rather
// than on bytes: they fire on a time or byte trigger and ask the World to
// act. On the agent-to-host direction a byte trigger of restart-agent or
// reboot kills the agent right after that byte: the rest of the write is
// never written (the agent died in the middle of its reply).
type process struct {
	*base
	down    time.Duration
	act     func(now int64)
	cutRest bool
}

func (f *process) Fire(now int64) {
	if f.tick(now) {
		f.act(now)
	}
}

func (f *process) Apply(now int64, c *link.Chunk) {
	for i, b := range c.Data {
		if !f.scan(now, b) {
			continue
		}
		f.act(now)
		if f.cutRest && i+1 < len(c.Data) {
			lost := append([]int64(nil), c.Src[i+1:]...)
			c.Data, c.Src = c.Data[:i+1], c.Src[:i+1]
			f.emitBytes(now, lost, nil, 0, "the agent died while writing: the rest of the write is lost")
			return
		}
	}
}

func newProcess(b *base, p *params, defDown time.Duration, downName string) (*process, error) {
	f := &process{base: b, down: p.duration(downName, defDown)}
	if err := p.done(downName); err != nil {
		return nil, err
	}
	return f, needTrigger(b)
}

func (f *process) emit(now int64, text string, until int64) {
	ev := f.event(now)
	ev.Text, ev.Until = text, until
	f.env.Emit(ev)
}
