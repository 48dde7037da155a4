package scenarios

import (
	"bytes"
	"strings"
	"testing"

	"github.com/qgasim/qgasim/sim"
	"github.com/qgasim/qgasim/sim/trace"
)

const notesFile = `version: 1
name: notes
client:
  strategy: delimited
steps:
  - send: guest-ping
    note: For the delimited client.
  - send: guest-ping
    note:
      none: The naive client's note.
      any: Everyone else's note.
  - send: guest-ping
    note:
      proxmox: Only proxmox has a note here.
`

// A note is written for a strategy: a plain one for the file's (or
// notes-for), a mapping for each; the World emits the one for its
// strategy and says which strategy it was written for.
func TestNotesPerStrategy(t *testing.T) {
	sc, err := Parse("notes.yaml", []byte(notesFile))
	if err != nil {
		t.Fatal(err)
	}
	notes := func(strategy, notesFor string) []trace.Event {
		cfg := sc.Config
		cfg.Client.Strategy, cfg.NotesFor = strategy, notesFor
		w, err := sim.New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		w.Run()
		var out []trace.Event
		for _, ev := range w.Trace() {
			if ev.Kind == trace.KindNote {
				out = append(out, ev)
			}
		}
		return out
	}
	check := func(got []trace.Event, want ...string) {
		t.Helper()
		if len(got) != len(want)/2 {
			t.Fatalf("%d notes, want %d", len(got), len(want)/2)
		}
		for i, ev := range got {
			if ev.Text != want[2*i] || ev.State != want[2*i+1] {
				t.Errorf("note %d: %q for %q, want %q for %q", i+1, ev.Text, ev.State, want[2*i], want[2*i+1])
			}
		}
	}
	check(notes("delimited", ""),
		"For the delimited client.", "", "Everyone else's note.", "", "Only proxmox has a note here.", "proxmox")
	// The TUI's s keeps the file's strategy as notes-for.
	check(notes("none", "delimited"),
		"For the delimited client.", "delimited", "The naive client's note.", "none", "Only proxmox has a note here.", "proxmox")

	// The writer keeps it: a mapping as a mapping, notes-for when set.
	sc.NotesFor = "delimited"
	sc.Client.Strategy = "none"
	buf := bytes.NewBuffer(Write(sc))
	for _, want := range []string{"notes-for: delimited", "note: For the delimited client.", "none: The naive client's note.", "any: Everyone else's note."} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("written file lacks %q:\n%s", want, buf.String())
		}
	}
	back, err := Parse("back.yaml", buf.Bytes())
	if err != nil {
		t.Fatalf("%v\n%s", err, buf.String())
	}
	if back.NotesFor != "delimited" || back.Steps[1].Notes["none"] != "The naive client's note." || back.Steps[0].Note != "For the delimited client." {
		t.Errorf("read back: notes-for %q, steps %+v", back.NotesFor, back.Steps)
	}

	// A mapping names strategies only.
	_, err = Parse("bad.yaml", []byte(strings.Replace(notesFile, "none: The", "nobody: The", 1)))
	if err == nil || !strings.Contains(err.Error(), `"nobody" is not a client strategy`) || !strings.Contains(err.Error(), "bad.yaml:10:7") {
		t.Errorf("an unknown strategy in a note: %v", err)
	}
}
