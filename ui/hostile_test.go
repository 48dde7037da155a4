package ui

import (
	"strings"
	"testing"

	"github.com/gdamore/tcell/v2"
)

// A scenario's text reaches the screen escaped: tcell writes a cell's
// runes to the terminal as they are, so an ESC in a name, a description or
// a note would be an escape sequence on the user's terminal.
func TestHostileTextEscapedOnScreen(t *testing.T) {
	cfg, info := staleConfig("none")
	info.Scenario = "evil\x1b]0;owned\x07"
	info.Description = "clears \x1b[2J the screen\nand \u009b2J with C1"
	cfg.Steps[0].Note = "note \x1b[31mred\r\nPASS forged"
	u, err := New(Options{Config: cfg, Info: info})
	if err != nil {
		t.Fatal(err)
	}
	for _, keys := range []string{"", "n", "nnnn", "G"} {
		press(u, keys)
		s := tcell.NewSimulationScreen("UTF-8")
		if err := s.Init(); err != nil {
			t.Fatal(err)
		}
		s.SetSize(160, 48)
		u.Root().SetRect(0, 0, 160, 48)
		u.Root().Draw(s)
		s.Show()
		cells, _, _ := s.GetContents()
		var text strings.Builder
		for _, c := range cells {
			for _, r := range c.Runes {
				if r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f) {
					t.Fatalf("after %q: control rune %U on screen", keys, r)
				}
				text.WriteRune(r)
			}
		}
		if keys == "" && !strings.Contains(text.String(), `\x1b`) {
			t.Errorf("the escaped ESC is not shown:\n%s", screenText(t, u, 160, 48))
		}
		s.Fini()
	}
}
