// Package bytefmt turns stream bytes into what every picture of a run draws:
// the class of a byte (what happened to it), its hex and text cells, virtual
// times and rows of a byte pane. Everything here is a pure function of its
// arguments, so the vocabulary is tested by tables, not by looking at a
// terminal or a browser.
//
// The contract: ClassOf decides a byte's single class from the facts the
// view model recorded about it (Flags) with a fixed precedence; each class
// has a name for legends, a short name for narrow ones and a Key for
// machines (CSS classes, JSON). Hex and Text give a byte's two cells, each of
// a fixed width so that columns line up. The package draws nothing and
// imports no terminal library: the TUI gives each class its terminal colour
// (package ui), the HTML report its CSS colour, from the same classes.
package bytefmt
