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

// View is the screen: every pane drawing one Source, the subtitle's
// message and the overlay on top. It decides nothing; the UI drives it.
type View struct {
	src  Source
	info model.Info
	keys []Key

	overlay *Overlay
	message string
	msgErr  bool

	root     *Root
	h2a, a2h *BytePane
	requests *RequestPane
	timeline *TimelinePane

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
	v.root = NewRoot(panes, []tview.Primitive{v.h2a, v.a2h, v.requests, v.timeline}, func() *Overlay { return v.overlay }, v.closeOverlay)
	return v
}

// Root is the View's root primitive.
func (v *View) Root() *Root { return v.root }

// Intro shows the scenario's description, as a run starts.
func (v *View) Intro() {
	if d := strings.TrimSpace(v.info.Description); d != "" {
		v.overlay = NewOverlay(v.info.Scenario, paragraphs(d), "space: play  n: step  ?: keys  esc: close")
	}
}

func (v *View) closeOverlay() { v.overlay = nil }

func (v *View) status() Status {
	i := v.src.Model().Info
	st := Status{Scenario: i.Scenario, Seed: i.Seed, Transport: i.Transport, Strategy: i.Strategy,
		Now: v.src.Now(), Speed: 1, Done: v.src.Done(), Event: v.src.Pos(), Injected: v.src.ByHand(),
		History: v.src.Model().History()}
	if v.header != nil {
		st.Speed, st.Playing = v.header()
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
		return "note: " + strings.ReplaceAll(m.Note.Text, "\n", " "), stNote
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
