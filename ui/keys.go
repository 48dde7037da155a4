package ui

import (
	"strings"

	"github.com/gdamore/tcell/v2"

	"github.com/qgasim/qgasim/sim/fault"
)

// Key is one binding: the key, its names for the bar and the help, and
// what it does. The table (Keys) is the only place keys are defined: the
// key handler, the key bar and the help overlay all read it.
type Key struct {
	Key  tcell.Key // a special key, or tcell.KeyRune with Rune
	Rune rune
	Name string // as the help shows it: "space", "n", "tab"
	Bar  string // the key bar's word; "" keeps it off the bar
	Help string // one line for the help overlay
	Do   func(u *UI)
	// World: the key re-runs or changes the World (inject, switch the
	// strategy, save), which recorded events and a live session do not
	// have: their UI keeps it off the bar (PlayerKeys).
	World bool
	// Live: the key works on a live session too (serve/proxy --tui): its
	// fault goes into the session now (LiveKeys).
	Live bool
	// Keep keeps the key on the bar on a narrow screen, where the others
	// that do not fit are left out (the help lists them all).
	Keep bool
}

// Keys returns the key table, in the help's order.
func Keys() []Key {
	r := func(c rune, bar, help string, do func(u *UI)) Key {
		return Key{Key: tcell.KeyRune, Rune: c, Name: string(c), Bar: bar, Help: help, Do: do}
	}
	inject := func(c rune, bar, help string, spec func(u *UI) fault.Spec) Key {
		k := r(c, bar, help, func(u *UI) { u.inject(string(c), spec(u)) })
		k.World, k.Live = true, true
		return k
	}
	world := func(k Key) Key { k.World = true; return k }
	return []Key{
		{Key: tcell.KeyRune, Rune: ' ', Name: "space", Bar: "play", Help: "play or pause the run", Do: (*UI).togglePlay},
		r('n', "step", "one step forward: the World runs until its next event", (*UI).stepForward),
		r('b', "back", "one step back (re-runs the deterministic World to the step before)", (*UI).stepBack),
		keep(r('x', "bytes", "what n and b step by: an event, a byte of the agent's read (the parser strip shows the lexer after each byte), or a read", (*UI).nextStepMode)),
		r('l', "ladder", "show the ladder diagram (host, link, agent; time down) in place of the byte panes, or the bytes again", (*UI).toggleLadder),
		r('+', "", "play faster", func(u *UI) { u.changeSpeed(+1) }),
		r('-', "", "play slower", func(u *UI) { u.changeSpeed(-1) }),
		r('g', "", "go to the start", (*UI).toStart),
		r('G', "", "go to the end of the run", (*UI).toEnd),
		{Key: tcell.KeyTab, Name: "tab", Help: "move the focus (arrows and page keys scroll the focused pane)", Do: (*UI).nextFocus},
		// Before the fault keys: on a wide bar m shows and z is left out; at
		// 80 columns neither is (the help lists both).
		world(r('m', "shrink", "shrink this run (to its end) to the smallest scenario that fails the same way, in the background (esc cancels); then o opens it here, w writes it to a file", (*UI).startShrink)),
		world(r('M', "", "back to the run a minimal scenario was opened in place of (o in the shrink's result)", (*UI).backFromMinimal)),
		inject('f', "0xFF", "the host writes a 0xFF byte now", func(*UI) fault.Spec {
			return fault.Spec{Kind: "inject", Dir: "h2a", Params: fault.Params{"bytes": fault.Raw([]byte{0xff})}}
		}),
		inject('d', "drop", "drop the next byte host -> agent", func(*UI) fault.Spec { return fault.Spec{Kind: "drop", Dir: "h2a"} }),
		inject('D', "", "drop the next byte agent -> host", func(*UI) fault.Spec { return fault.Spec{Kind: "drop", Dir: "a2h"} }),
		inject('t', "truncate", "truncate the agent's current write (or its next one)", func(*UI) fault.Spec {
			return fault.Spec{Kind: "truncate", Dir: "a2h", Params: fault.Params{"after": fault.Int(0)}}
		}),
		inject('r', "restart", "restart the agent process (down 1s)", func(*UI) fault.Spec { return fault.Spec{Kind: "restart-agent"} }),
		inject('R', "reboot", "reboot the guest (down 5s, state directory lost)", func(*UI) fault.Spec { return fault.Spec{Kind: "reboot"} }),
		inject('c', "reconnect", "the host closes the channel and opens it again", func(*UI) fault.Spec { return fault.Spec{Kind: "reconnect-host"} }),
		inject('z', "freeze", "freeze the guest file systems, or thaw them when frozen", (*UI).freezeSpec),
		world(keep(r('s', "strategy", "switch the client strategy and re-run to this moment (same seed, same faults by hand)", (*UI).nextStrategy))),
		world(keep(r('w', "save", "save this run, with the faults injected by hand, as a scenario file", (*UI).save))),
		keep(r('?', "help", "show or hide this help (arrows and page keys scroll it)", (*UI).toggleHelp)),
		{Key: tcell.KeyEscape, Name: "esc", Help: "close an overlay (help, a byte's story); cancel a running shrink", Do: (*UI).escape},
		keep(r('q', "quit", "quit", (*UI).quit)),
	}
}

// PlayerKeys is the key table of a UI on recorded events or a live
// session: the keys that need the World stay (pressed, they say why they
// do nothing) but off the bar, and the help says they need a run.
func PlayerKeys() []Key {
	keys := Keys()
	for i := range keys {
		if keys[i].World {
			keys[i].Bar = ""
			keys[i].Help += " (a scenario run only)"
		}
	}
	return keys
}

// LiveKeys is the key table of a UI on a live session that takes faults
// by hand (Options.Live): PlayerKeys, with the fault keys on the bar again;
// they fire into the session at once.
func LiveKeys() []Key {
	keys := Keys()
	for i := range keys {
		switch {
		case keys[i].Live:
			keys[i].Help += " (into the live session, now)"
		case keys[i].World:
			keys[i].Bar = ""
			keys[i].Help += " (a scenario run only)"
		}
	}
	return keys
}

func keep(k Key) Key { k.Keep = true; return k }

// lookup finds the binding of a key event.
func lookup(keys []Key, ev *tcell.EventKey) (Key, bool) {
	for _, k := range keys {
		if k.Key != ev.Key() {
			continue
		}
		if k.Key != tcell.KeyRune || k.Rune == ev.Rune() {
			return k, true
		}
	}
	return Key{}, false
}

// KeyBar is the bar's text for a width: "space play/pause  n step ...",
// in the table's order. The keys marked Keep are always on it (quit,
// help, strategy, save); the others are left out from the end of the table
// when the bar does not fit (w <= 0: no limit).
func KeyBar(keys []Key, w int) []struct{ Key, Word string } {
	type item = struct{ Key, Word string }
	size := func(k Key) int { return len([]rune(k.Name)) + 1 + len([]rune(k.Bar)) + 2 }
	on := make([]bool, len(keys))
	used := 1
	for i, k := range keys {
		if k.Bar != "" && k.Keep {
			on[i], used = true, used+size(k)
		}
	}
	for i, k := range keys {
		if k.Bar != "" && !k.Keep && (w <= 0 || used+size(k) <= w) {
			on[i], used = true, used+size(k)
		}
	}
	var out []item
	for i, k := range keys {
		if on[i] {
			out = append(out, item{k.Name, k.Bar})
		}
	}
	return out
}

// HelpLines is the help overlay's text.
func HelpLines(keys []Key) []string {
	out := make([]string, 0, len(keys)+4)
	for _, k := range keys {
		out = append(out, padRight(k.Name, 7)+k.Help)
	}
	out = append(out, "",
		"mouse  click a byte to see its story; click a timeline event to jump to it;",
		"       the wheel scrolls the pane under it",
		"strip  the agent's parser: the bytes of its last read, under each the lexer's state",
		"       after it (· between tokens, s in a string, R error recovery, ✗ an error ends",
		"       the message), the bytes it held before the read (a dead client's fragment)",
		"colours "+strings.Repeat(" ", 0)+"(legend under the byte panes): what happened to each byte")
	return out
}
