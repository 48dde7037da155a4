// Package bytefmt turns stream bytes into what the terminal UI draws: the
// class of a byte (what happened to it), its hex and text cells, its colour,
// virtual times and rows of a byte pane. Everything here is a pure function
// of its arguments, so the screen's vocabulary is tested by tables, not by
// looking at a terminal.
//
// The contract: ClassOf decides a byte's single class from the facts the
// view model recorded about it (Flags) with a fixed precedence; Style gives
// every class one colour, which the legend shows; Hex and Text give a byte's
// two cells, each of a fixed width so that columns line up.
package bytefmt
