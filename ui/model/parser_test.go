package model

import (
	"bytes"
	"testing"

	"github.com/qgasim/qgasim/internal/scenariotest"
	"github.com/qgasim/qgasim/scenarios"
	"github.com/qgasim/qgasim/sim"
	"github.com/qgasim/qgasim/sim/qjson"
	"github.com/qgasim/qgasim/sim/trace"
)

// The model's copy of the agent's parser, fed only from the trace, is in
// the agent's own state after every step of every library scenario, under
// every strategy: what the strip shows is what the agent holds.
func TestParserFollowsAgent(t *testing.T) {
	scenariotest.EachLibraryStrategy(t, func(r scenariotest.LibraryRun) {
		cfg := r.Config
		m := New(Info{}, Limits{})
		cfg.Sink, cfg.NoKeep = func(ev *trace.Event) { m.Apply(*ev) }, true
		w, err := sim.New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		steps := 0
		for w.Step() && steps < 20000 {
			steps++
			if !w.AgentUp() {
				continue
			}
			want := w.Agent().ParserState()
			got, _, _ := m.ParserNow()
			if got.Lex != want.Lex || got.Brace != want.Brace || got.Bracket != want.Bracket || got.Pending != want.Pending {
				t.Fatalf("%s, %s, t=%d: the model's parser %v {%d [%d pending %d; the agent's %v {%d [%d pending %d",
					r.Scenario, r.Strategy, w.Now(), got.Lex, got.Brace, got.Bracket, got.Pending, want.Lex, want.Brace, want.Bracket, want.Pending)
			}
		}
	})
}

// why-0xff-first, byte by byte: the fragment is held after the first read;
// in the read that brings the 0xFF, that byte ends the fragment with an
// error and the lexer recovers; the sync is a message of its own.
func TestParserStripShowsTheFlush(t *testing.T) {
	_, data, _ := scenarios.LibraryFile("why-0xff-first")
	sc, err := scenarios.Parse("why-0xff-first.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	m := New(Info{}, Limits{})
	var reads []ParserRead
	cfg := sc.Config
	cfg.Sink = func(ev *trace.Event) {
		m.Apply(*ev)
		if ev.Kind == trace.KindDeliver && ev.Dir == trace.H2A {
			r, _ := m.Parser()
			reads = append(reads, r)
		}
	}
	w, err := sim.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	w.Run()
	if len(reads) < 2 {
		t.Fatalf("%d reads, want the fragment's and the flush's", len(reads))
	}
	frag := reads[0]
	last := frag.Bytes[len(frag.Bytes)-1]
	if last.Lex != qjson.InDQString || last.Brace != 1 || last.Pending != 15 || last.Ended {
		t.Fatalf("after the fragment: %+v, want inside a string, one brace open, 15 bytes held", last)
	}
	flush := reads[1]
	if string(flush.Held) != `{"execute":"gue` || flush.HeldN != 15 {
		t.Fatalf("held before the flush %q (%d), want the fragment", flush.Held, flush.HeldN)
	}
	ff := flush.Bytes[0]
	if ff.B != 0xFF || !ff.Ended || !bytes.Contains([]byte(ff.Err), []byte("JSON parse error")) || ff.Lex != qjson.InRecovery {
		t.Fatalf("the 0xFF: %+v, want it to end the fragment with a parse error and leave the lexer in recovery", ff)
	}
	brace := flush.Bytes[1]
	if brace.B != '{' || brace.Lex == qjson.InRecovery || !brace.Fresh {
		t.Fatalf("the byte after the 0xFF: %+v, want a fresh message begun at '{'", brace)
	}
	var cmds []string
	for _, b := range flush.Bytes {
		if b.Ended && b.Err == "" {
			cmds = append(cmds, b.Cmd)
		}
	}
	if len(cmds) != 1 || cmds[0] != "guest-sync-delimited" {
		t.Fatalf("messages ended in the flush's read: %q, want guest-sync-delimited", cmds)
	}
}
