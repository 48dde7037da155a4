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
	numPanes
)

// Layout places the panes on a screen w x h. It is a pure function so that
// the resize behaviour has a test: wide screens put the two byte streams
// side by side, narrow ones stack them; short screens give the byte panes
// and the timeline less and the agent and client panes their minimum.
func Layout(w, h int) [numPanes]Rect {
	var r [numPanes]Rect
	r[paneHeader] = Rect{0, 0, w, 1}
	r[paneNote] = Rect{0, h - 2, w, 1}
	r[paneKeys] = Rect{0, h - 1, w, 1}
	body := h - 3 // between the header and the note
	y := 1
	side := w >= 120
	// Heights: state panes (agent, client, requests) and the timeline get
	// what they need, the byte panes the rest.
	stateH := 8
	if body < 34 {
		stateH = 5
	}
	tlH := max(4, body/4)
	bytesH := body - 1 - stateH - tlH // one row for the legend
	minBytes := 6                     // side by side: 4 rows of bytes each
	if !side {
		minBytes = 8 // stacked: 2 rows each, 4 on a 24-row screen
	}
	if bytesH < minBytes {
		bytesH = minBytes
		tlH = max(3, body-1-stateH-bytesH)
	}
	if side {
		half := w / 2
		r[paneH2A] = Rect{0, y, half, bytesH}
		r[paneA2H] = Rect{half, y, w - half, bytesH}
	} else {
		top := bytesH / 2
		r[paneH2A] = Rect{0, y, w, top}
		r[paneA2H] = Rect{0, y + top, w, bytesH - top}
	}
	y += bytesH
	r[paneLegend] = Rect{0, y, w, 1}
	y++
	if side {
		aw := w * 24 / 100
		cw := w * 27 / 100
		r[paneAgent] = Rect{0, y, aw, stateH}
		r[paneClient] = Rect{aw, y, cw, stateH}
		r[paneRequests] = Rect{aw + cw, y, w - aw - cw, stateH}
		y += stateH
		r[paneTimeline] = Rect{0, y, w, h - 2 - y}
	} else {
		half := w / 2
		r[paneAgent] = Rect{0, y, half, stateH}
		r[paneClient] = Rect{half, y, w - half, stateH}
		y += stateH
		rest := h - 2 - y
		r[paneRequests] = Rect{0, y, half, rest}
		r[paneTimeline] = Rect{half, y, w - half, rest}
	}
	return r
}
