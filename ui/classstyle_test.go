package ui

import (
	"testing"

	"github.com/gdamore/tcell/v2"

	"github.com/qgasim/qgasim/ui/bytefmt"
)

// Every byte class has its own terminal colour, so the legend can name them.
func TestClassStylesDistinct(t *testing.T) {
	styles := map[tcell.Style]bytefmt.Class{}
	for _, c := range bytefmt.Classes() {
		if prev, dup := styles[classStyle(c)]; dup {
			t.Errorf("classes %v and %v share a style", prev, c)
		}
		styles[classStyle(c)] = c
	}
}
