package ui

// Rect is a screen rectangle.
type Rect struct{ X, Y, W, H int }

// Pane names of the layout.
const (
	paneHeader = iota
	paneH2A
	paneA2H
	paneLegend
	paneAgent
	paneClient
	paneRequests
	paneTimeline
	paneNote
	paneKeys
	paneStrip  // the agent's parser, byte by byte
	paneLadder // the ladder diagram, in place of the byte panes
	numPanes
)

// Mode is what the screen shows besides its usual panes.
type Mode struct {
	Ladder bool // the ladder diagram instead of the two byte panes
	Strip  bool // the parser strip, asked for (step by byte or by read)
}

// stripRows is the parser strip's height with its border.
const stripRows = 8

// Layout places the panes on a screen w x h; a pane it does not show gets
// an empty Rect. It is a pure function so that the resize behaviour has a
// test: wide screens put the two byte streams side by side, narrow ones
// stack them; short screens give the byte panes and the timeline less and
// the agent and client panes their minimum. A tall screen always has room
// for the parser strip; a short one shows it only when asked (stepping by
// byte or by read), in place of the agent and client panes. The ladder
// takes the byte panes' place.
func Layout(w, h int, mode Mode) [numPanes]Rect {
	var r [numPanes]Rect
	r[paneHeader] = Rect{0, 0, w, 1}
	r[paneNote] = Rect{0, h - 2, w, 1}
	r[paneKeys] = Rect{0, h - 1, w, 1}
	body := h - 3 // between the header and the note
	y := 1
	side := w >= 120
	tall := body >= 40
	// Heights: state panes (agent, client, requests) and the timeline get
	// what they need, the byte panes the rest.
	stateH := 8
	if body < 34 {
		stateH = 5
	}
	stripH := 0
	if tall {
		stripH = stripRows
	}
	tlH := max(4, body/4)
	bytesH := body - 1 - stateH - tlH - stripH // one row for the legend
	minBytes := 6                              // side by side: 4 rows of bytes each
	if !side {
		minBytes = 8 // stacked: 2 rows each, 4 on a 24-row screen
	}
	if bytesH < minBytes {
		bytesH = minBytes
		tlH = max(3, body-1-stateH-stripH-bytesH)
	}
	// A short screen that shows the strip gives it the agent and client
	// row and two rows of the byte panes: five rows inside its border.
	extra := 0
	if mode.Strip && stripH == 0 {
		extra = max(0, min(2, bytesH-minBytes))
		bytesH -= extra
	}
	switch {
	case mode.Ladder:
		r[paneLadder] = Rect{0, y, w, bytesH}
	case side:
		half := w / 2
		r[paneH2A] = Rect{0, y, half, bytesH}
		r[paneA2H] = Rect{half, y, w - half, bytesH}
	default:
		top := bytesH / 2
		r[paneH2A] = Rect{0, y, w, top}
		r[paneA2H] = Rect{0, y + top, w, bytesH - top}
	}
	y += bytesH
	r[paneLegend] = Rect{0, y, w, 1}
	y++
	if stripH > 0 {
		r[paneStrip] = Rect{0, y, w, stripH}
		y += stripH
	}
	if side {
		aw := w * 24 / 100
		cw := w * 27 / 100
		r[paneAgent] = Rect{0, y, aw, stateH}
		r[paneClient] = Rect{aw, y, cw, stateH}
		r[paneRequests] = Rect{aw + cw, y, w - aw - cw, stateH}
		if mode.Strip && stripH == 0 {
			r[paneStrip] = Rect{0, y, aw + cw, stateH + extra}
			r[paneRequests].H += extra
			r[paneAgent], r[paneClient] = Rect{}, Rect{}
		}
		y += stateH + extra
		r[paneTimeline] = Rect{0, y, w, h - 2 - y}
	} else {
		half := w / 2
		r[paneAgent] = Rect{0, y, half, stateH}
		r[paneClient] = Rect{half, y, w - half, stateH}
		if mode.Strip && stripH == 0 {
			r[paneStrip] = Rect{0, y, w, stateH + extra}
			r[paneAgent], r[paneClient] = Rect{}, Rect{}
		}
		y += stateH + extra
		rest := h - 2 - y
		r[paneRequests] = Rect{0, y, half, rest}
		r[paneTimeline] = Rect{half, y, w - half, rest}
	}
	return r
}
