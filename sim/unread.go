package sim

import (
	"slices"

	"github.com/qgasim/qgasim/sim/trace"
)

// unread says which of the World's most frequent kinds of event nothing
// reads, so that a run that keeps no trace and whose Sink reads only some
// kinds (Config.SinkReads: a sweep's oracle) spends nothing on them: a
// heavy run delivers thousands of small reads, each an event with its
// bytes and their origins, and the client discards most of them while it
// waits for a sentinel; and a run that lists no steps (a sweep's) needs
// neither its step events nor their texts. Such an event is still numbered (World.skip), so
// that the ones built carry the numbers of the full trace.
type unread struct {
	deliver   bool // link.deliver, both ways
	discard   bool // client.discard
	agentRead bool // agent.read
	step      bool // step: its text is not made either
	note      bool // note
}

// unreadKinds finds them from the configuration: only when no event is
// kept and the Sink said what it reads.
func unreadKinds(cfg Config) unread {
	if !cfg.NoKeep || cfg.SinkReads == nil {
		return unread{}
	}
	reads := func(kind string) bool { return slices.Contains(cfg.SinkReads, kind) }
	return unread{
		deliver:   !reads(trace.KindDeliver),
		discard:   !reads(trace.KindDiscard),
		agentRead: !reads(trace.KindAgentRead),
		step:      !reads(trace.KindStep),
		note:      !reads(trace.KindNote),
	}
}
