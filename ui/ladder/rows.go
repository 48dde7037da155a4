package ladder

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/qgasim/qgasim/sim/check"
	"github.com/qgasim/qgasim/sim/trace"
	"github.com/qgasim/qgasim/ui/bytefmt"
)

// Ladder returns the picture of everything folded so far, judged by the
// oracle's summary (the verdicts of the requests it has seen). Writes still
// on their way are drawn into the link. It can be called at any point; the
// builder is not changed.
func (b *Builder) Ladder(sum check.Summary) *Ladder {
	verdicts := map[int]check.Request{}
	for _, q := range sum.Requests {
		verdicts[q.Req] = q
	}
	l := &Ladder{Info: b.info, Omitted: b.omitted, End: b.end}
	index := map[int]int{} // slot id -> index in l.Rows
	var refs []int         // rows with a TakenFrom to resolve
	takenFrom := map[int]int{}
	for i := range b.slots {
		s := &b.slots[i]
		if s.hidden {
			continue
		}
		r := s.row
		ends := 0
		if s.ends {
			ends = r.Req
		}
		switch {
		case s.msg != nil:
			ends = b.fillWrite(&r, s.msg)
		case s.run != nil:
			ends = b.fillRun(&r, s.run)
		}
		if r.Kind == ArrowRow {
			if r.Flags&bytefmt.FDiscarded != 0 && r.Flags&bytefmt.FAccepted == 0 {
				r.Style = Dotted
			}
			r.Class = bytefmt.ClassOf(r.Flags, 0)
		}
		if q, ok := verdicts[ends]; ok && ends > 0 {
			r.Verdict, r.GotReplyOf = q.Verdict, q.GotReplyOf
			if q.Verdict != check.Correct {
				r.Alarm = true
			}
			if r.Kind == ArrowRow {
				r.HostText = fmt.Sprintf("#%d %s", ends, VerdictWord(q.Verdict))
			}
		}
		r.Count = 1
		index[s.id] = len(l.Rows)
		if s.taken != nil {
			takenFrom[len(l.Rows)] = headSlot(s.taken, s.takenR)
			refs = append(refs, len(l.Rows))
		}
		l.Rows = append(l.Rows, r)
	}
	for _, i := range refs {
		if j, ok := index[takenFrom[i]]; ok {
			r := &l.Rows[i]
			r.TakenFrom = j
			from := l.Rows[j].Until
			if l.Rows[j].From == Link || from > r.T {
				from = l.Rows[j].T
			}
			if bytefmt.Time(from) != bytefmt.Time(r.T) {
				r.Text += " (it came at " + bytefmt.Time(from) + ")"
			}
		}
	}
	l.Rows = collapse(l.Rows)
	return l
}

// fillWrite completes the row of a write from what became of its bytes. It
// returns the caller whose outcome is said at the row's host end (0: none).
func (b *Builder) fillWrite(r *Row, m *message) (ends int) {
	c := m.comp
	r.Flags = m.flags &^ bytefmt.FAccepted
	if c != nil && c.through {
		rn := c.runs[0]
		r.To = readerLane(m.d)
		r.Until = rn.last
		r.LastSeq = max(r.LastSeq, rn.lastSq)
		r.Flags |= bytefmt.FDelivered
		if m.accepted {
			r.Flags |= bytefmt.FAccepted
		}
		if m.discarded > 0 {
			r.Flags |= bytefmt.FDiscarded
		}
		if len(c.msgs) == 1 {
			r.Reads = rn.reads
			if rn.added > 0 {
				r.Flags |= bytefmt.FAdded
				r.Marks = append(r.Marks, Mark{Kind: Added, N: rn.added, Text: rn.addBy, Seq: rn.lastSq})
			}
		}
		r.LinkText = linkText(r.Reads, r.Until-r.T)
		if m.d == 1 {
			if m.takenBy > 0 {
				r.Req, r.HostText = m.takenBy, fmt.Sprintf("#%d", m.takenBy)
				return m.takenBy
			}
			r.HostText = hostEnd(rn, m.discardWhy)
			if m != c.msgs[len(c.msgs)-1] && r.HostText == rn.state {
				r.HostText = "" // what the client said is about the read, shown at its last write
			}
			return 0
		}
		r.AgentText = parserText(c.parser)
		return 0
	}
	if m.delivered > 0 {
		r.Flags |= bytefmt.FDelivered
	}
	switch {
	case m.lost >= m.n && len(r.Marks) == 0:
		r.LinkText = "✗ never arrives"
	case !m.settled() && m.flags&bytefmt.FHeld != 0 && len(r.Marks) == 0:
		r.LinkText = "held"
	case !m.settled() && m.delivered == 0:
		r.LinkText = "in flight"
	}
	return 0
}

// fillRun completes a delivery row: what it carried and what the reader
// made of it. It returns the caller whose outcome is said at its host end.
func (b *Builder) fillRun(r *Row, rn *run) (ends int) {
	r.Until, r.LastSeq = rn.last, max(r.LastSeq, rn.lastSq)
	r.Reads, r.Bytes = rn.reads, rn.bytes
	r.Flags = rn.flags
	d := dirIndex(r.Dir)
	var names []string
	var whole *message
	for _, sp := range rn.spans {
		b.find(d, sp.Off, sp.N, func(m *message, from, to int64) {
			r.Flags |= m.flags & bytefmt.FChanged
			if len(names) == 0 {
				r.Req = m.req
			}
			if from == m.off && to == m.off+m.n {
				whole = m
			}
			name := b.slotText(m)
			if to-from < m.n {
				name = fmt.Sprintf("%s B of %s", bytefmt.Count(to-from), name)
			}
			names = append(names, name)
		})
	}
	if rn.added > 0 {
		names = append(names, "bytes nobody wrote: "+quoteShort(rn.addedBytes, smallReply))
		r.Marks = append(r.Marks, Mark{Kind: Added, N: rn.added, Text: rn.addBy, Seq: rn.lastSq})
	}
	switch {
	case len(names) == 1:
		r.Text = names[0]
		if whole != nil {
			r.Sentinel = b.slotSentinel(whole)
		}
	case len(names) == 0:
		r.Text = fmt.Sprintf("%s B", bytefmt.Count(rn.bytes))
	default:
		if len(names) > maxNames {
			names = append(names[:maxNames-1], fmt.Sprintf("%d more", len(names)-maxNames+1))
		}
		r.Text = fmt.Sprintf("%s B: %s", bytefmt.Count(rn.bytes), strings.Join(names, " + "))
		for _, sp := range rn.spans {
			b.find(d, sp.Off, sp.N, func(m *message, _, _ int64) { r.Sentinel = r.Sentinel || b.slotSentinel(m) })
		}
	}
	r.LinkText = linkText(rn.reads, rn.last-rn.first)
	if d == 1 {
		r.HostText = hostEnd(rn, rn.why)
		if rn.taken > 0 {
			r.Req = rn.taken
		}
		return rn.taken
	}
	if c := rn.comp; c != nil && c.runs[len(c.runs)-1] == rn {
		r.AgentText = parserText(c.parser)
	}
	return 0
}

// maxNames is the most writes a delivery row names.
const maxNames = 3

func (b *Builder) slotText(m *message) string {
	if s := b.slotByID(m.slot); s != nil {
		return s.row.Text
	}
	return fmt.Sprintf("%s B", bytefmt.Count(m.n))
}

func (b *Builder) slotSentinel(m *message) bool {
	s := b.slotByID(m.slot)
	return s != nil && s.row.Sentinel
}

// hostEnd is what the host client made of bytes that reached it: the
// caller it handed them to, why it threw them away, or what it said.
func hostEnd(rn *run, why string) string {
	switch {
	case rn.taken > 0:
		return fmt.Sprintf("#%d", rn.taken) // the oracle's verdict is added to it
	case rn.flags&bytefmt.FDiscarded != 0 && why != "":
		return "discarded: " + why
	case rn.state != "":
		return rn.state
	}
	return ""
}

// parserText says what the agent's parser holds after a read, when it is
// in the middle of a message.
func parserText(state string) string {
	if state == "" || state == "idle" {
		return ""
	}
	return "parser mid-message: " + state
}

// linkText says how the link carried an arrow: in several reads, over time.
func linkText(reads int, took int64) string {
	var parts []string
	if reads > 1 {
		parts = append(parts, fmt.Sprintf("%d reads", reads))
	}
	if took >= 1e6 {
		parts = append(parts, "over "+bytefmt.Duration(took))
	}
	return strings.Join(parts, ", ")
}

// digits matches the numbers that make alike rows differ.
var digits = regexp.MustCompile(`[0-9]+`)

// shape is what alike rows share: everything but their numbers.
func shape(r *Row) string {
	var marks []string
	for _, m := range r.Marks {
		marks = append(marks, m.Kind.String())
	}
	return fmt.Sprint(r.Kind, r.From, r.To, r.Dir, r.Class, r.Style, r.Sentinel, r.Alarm, r.Death, r.Verdict, marks,
		digits.ReplaceAllString(r.Text, "N"), digits.ReplaceAllString(r.HostText, "N"), digits.ReplaceAllString(r.AgentText, "N"),
		r.AgentDown, r.HostGone)
}

// minRun is the fewest repeats folded into one.
const minRun = 3

// collapse folds repeats of alike consecutive rows (87 dropped replies, 21
// pipelined ones) and of alike pairs of rows (an error and a sync reply,
// eight times) into one row, or one pair, with a count, keeping every row
// an outcome points at.
func collapse(rows []Row) []Row {
	pinned := map[int]bool{}
	for _, r := range rows {
		if r.TakenFrom >= 0 {
			pinned[r.TakenFrom] = true
		}
	}
	free := func(i int) bool { return rows[i].Kind != StepRow && !pinned[i] && rows[i].TakenFrom < 0 }
	// repeats counts how many times the block rows[i:i+p] repeats from i.
	repeats := func(i, p int) int {
		k := 1
		for j := i + p; j+p <= len(rows); j += p {
			for q := 0; q < p; q++ {
				if !free(i+q) || !free(j+q) || shape(&rows[i+q]) != shape(&rows[j+q]) {
					return k
				}
			}
			k++
		}
		return k
	}
	out := make([]Row, 0, len(rows))
	remap := make([]int, len(rows))
	for i := 0; i < len(rows); {
		p, k := 1, repeats(i, 1)
		if k < minRun && i+1 < len(rows) && shape(&rows[i]) != shape(&rows[i+1]) {
			p, k = 2, repeats(i, 2)
		}
		if k < minRun {
			remap[i] = len(out)
			out = append(out, rows[i])
			i++
			continue
		}
		for q := 0; q < p; q++ {
			r := rows[i+q]
			last := rows[i+q+(k-1)*p]
			r.Count = k
			r.Until, r.LastSeq = max(r.Until, last.Until), last.LastSeq
			if last.Text != r.Text {
				r.Text = r.Text + " … " + last.Text
			}
			for j := 1; j < k; j++ {
				r.Bytes += rows[i+q+j*p].Bytes
				r.Reads += rows[i+q+j*p].Reads
			}
			for j := 0; j < k; j++ {
				remap[i+q+j*p] = len(out)
			}
			out = append(out, r)
		}
		i += k * p
	}
	for i := range out {
		if out[i].TakenFrom >= 0 {
			out[i].TakenFrom = remap[out[i].TakenFrom]
		}
	}
	return out
}

// DirName is a direction in words.
func DirName(dir string) string {
	if dir == trace.A2H {
		return "agent to host"
	}
	return "host to agent"
}
