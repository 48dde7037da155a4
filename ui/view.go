package ui

import (
	"strings"

	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"

	"github.com/qgasim/qgasim/ui/model"
)

// Source is what a View draws: a view model and where the run is. The
// Runner is one (a live World); TraceSource is another (a recorded trace).
type Source interface {
	Model() *model.Model // its Info names the scenario, seed, transport and strategy
	Now() int64
	Pos() int64
	Done() bool
	ByHand() int
}

// StepMode is what n and b step by.
type StepMode int

// Step modes, in the order x cycles through them.
const (
	StepEvent StepMode = iota // a step of the World (the events of one action)
	StepByte                  // a byte of the agent's current read (the parser strip's cursor)
	StepRead                  // the agent's next read
)

func (s StepMode) String() string {
	switch s {
	case StepByte:
		return "by byte"
	case StepRead:
		return "by read"
	}
	return "by event"
}

// View is the screen: every pane drawing one Source, the subtitle's
// message and the overlay on top. It decides nothing; the UI drives it.
type View struct {
	src  Source
	info model.Info
	keys []Key

	overlay *Overlay
	message string
	msgErr  bool

	ladder   bool     // the ladder in place of the byte panes
	stepMode StepMode // what n and b step by
	cursor   int      // the parser strip's byte (-1: the last of the read)
	curRead  int64    // the read the cursor is in (the Seq of its delivery)
	prevSeq  int64    // the last event before the last step, for the ladder's mark

	root       *Root
	stripPane  *StripPane
	ladderPane *LadderPane
	h2a, a2h   *BytePane
	requests   *RequestPane
	timeline   *TimelinePane

	onByte func(s *model.Stream, seg *model.Segment, i int)
	onJump func(seq int64)
	header func() (speed float64, playing bool)
}

// NewView builds the panes on a Source.
func NewView(info model.Info, src Source, keys []Key) *View {
	v := &View{src: src, info: info, keys: keys}
	m := src.Model
	byteFunc := func(s *model.Stream, seg *model.Segment, i int) {
		if v.onByte != nil {
			v.onByte(s, seg, i)
		}
	}
	v.h2a = NewBytePane("h2a", m).SetByteFunc(byteFunc)
	v.a2h = NewBytePane("a2h", m).SetByteFunc(byteFunc)
	v.requests = NewRequestPane(m)
	v.timeline = NewTimelinePane(m).SetJumpFunc(func(seq int64) {
		if v.onJump != nil {
			v.onJump(seq)
		}
	})
	v.cursor = -1
	v.stripPane = NewStripPane(m, v.stripCursor)
	v.ladderPane = NewLadderPane(m, func() int64 { return v.prevSeq })
	var panes [numPanes]tview.Primitive
	panes[paneHeader] = NewHeader(v.status)
	panes[paneH2A] = v.h2a
	panes[paneA2H] = v.a2h
	panes[paneLegend] = NewLegend()
	panes[paneAgent] = NewAgentPane(m)
	panes[paneClient] = NewClientPane(m)
	panes[paneRequests] = v.requests
	panes[paneTimeline] = v.timeline
	panes[paneNote] = NewNoteBar(v.subtitle)
	panes[paneKeys] = NewKeyBarPane(keys)
	panes[paneStrip] = v.stripPane
	panes[paneLadder] = v.ladderPane
	v.root = NewRoot(panes, []tview.Primitive{v.h2a, v.a2h, v.ladderPane, v.requests, v.timeline}, func() *Overlay { return v.overlay }, v.closeOverlay)
	v.root.mode = v.mode
	return v
}

// stripCursor is the strip's cursor: on the last byte unless the cursor
// was set in the read shown.
func (v *View) stripCursor() (int, StepMode) {
	if rd, ok := v.src.Model().Parser(); !ok || rd.Seq != v.curRead {
		return -1, v.stepMode
	}
	return v.cursor, v.stepMode
}

// setCursor puts the strip's cursor on byte i (-1: the last) of the read
// shown now.
func (v *View) setCursor(i int) {
	rd, _ := v.src.Model().Parser()
	v.cursor, v.curRead = i, rd.Seq
}

// mode is what the layout shows: the ladder, the parser strip.
func (v *View) mode() Mode {
	return Mode{Ladder: v.ladder, Strip: v.stepMode != StepEvent}
}

// Root is the View's root primitive.
func (v *View) Root() *Root { return v.root }

// Intro shows the scenario's description, as a run starts.
func (v *View) Intro() {
	if d := strings.TrimSpace(v.info.Description); d != "" {
		v.overlay = NewOverlay(v.info.Scenario, paragraphs(d), "space: play  n: step  x: by byte  l: ladder  ?: keys  esc: close")
		v.overlay.aboveLegend = true
	}
}

// closeOverlay closes the overlay, unless it is modal (its owner closes
// it).
func (v *View) closeOverlay() {
	if v.overlay != nil && v.overlay.modal {
		return
	}
	v.overlay = nil
}

func (v *View) status() Status {
	i := v.src.Model().Info
	st := Status{Scenario: i.Scenario, Seed: i.Seed, Transport: i.Transport, Strategy: i.Strategy,
		Now: v.src.Now(), Speed: 1, Done: v.src.Done(), Event: v.src.Pos(), Injected: v.src.ByHand(),
		History: v.src.Model().History()}
	if v.header != nil {
		st.Speed, st.Playing = v.header()
	}
	if i.LiveSpeed > 0 {
		// A live session's clock is the session's, not the UI's.
		st.Speed, st.Live = i.LiveSpeed, true
	}
	return st
}

func (v *View) subtitle() (string, tcell.Style) {
	if v.message != "" {
		if v.msgErr {
			return v.message, stAlarm
		}
		return v.message, stGood
	}
	m := v.src.Model()
	if m.Note.Text != "" {
		text := strings.ReplaceAll(m.Note.Text, "\n", " ")
		if m.Note.Foreign(m.Info.Strategy) {
			return "note written for " + m.Note.For + ", not " + m.Info.Strategy + " (it may not hold here): " + text, stWarn
		}
		return "note: " + text, stNote
	}
	if d := strings.TrimSpace(v.info.Description); d != "" {
		return strings.ReplaceAll(d, "\n", " "), stNote
	}
	return "", stDefault
}

// paragraphs joins the lines of a YAML block into paragraphs (a blank line
// separates two), so that the overlay can wrap them to its own width.
func paragraphs(s string) []string {
	var out []string
	cur := ""
	for _, l := range strings.Split(s, "\n") {
		l = strings.TrimSpace(l)
		if l == "" {
			if cur != "" {
				out = append(out, cur, "")
				cur = ""
			}
			continue
		}
		if cur != "" {
			cur += " "
		}
		cur += l
	}
	if cur != "" {
		out = append(out, cur)
	}
	return out
}
