package ladder

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/qgasim/qgasim/internal/golden"
	"github.com/qgasim/qgasim/internal/scenariotest"
	"github.com/qgasim/qgasim/scenarios"
	"github.com/qgasim/qgasim/sim/check"
	"github.com/qgasim/qgasim/ui/model"
)

// The text form of a few library scenarios, kept as golden files: the
// pictures a reader pastes into a bug report.
func TestTextGolden(t *testing.T) {
	for _, name := range []string{"stale-reply-virtio", "why-0xff-first", "restart-mid-reply", "lost-reply-isa",
		"libvirt-unchecked-reply", "lab-illegal-seek", "lab-big-reply-tail"} {
		t.Run(name, func(t *testing.T) {
			l, _ := library(t, name)
			var b bytes.Buffer
			if err := Text(&b, l, TextOptions{}); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", name+".txt")
			want, ok, err := golden.Check(path, b.String(), *update)
			if err != nil {
				t.Fatal(err)
			}
			if !ok {
				t.Errorf("%s differs (run with -update to accept):\n--- got\n%s\n--- want\n%s", path, b.String(), want)
			}
		})
	}
}

// What every library scenario's ladder must say, whatever its layout.
func TestLibraryLadders(t *testing.T) {
	for _, name := range scenariotest.LibraryNames() {
		t.Run(name, func(t *testing.T) {
			l, run := library(t, name)
			checkLadder(t, l, run.Summary)
		})
	}
}

// checkLadder asserts the ladder's promises against the oracle.
func checkLadder(t *testing.T, l *Ladder, sum check.Summary) {
	t.Helper()
	ends := map[int]int{}
	var prev int64
	down := false
	for i, r := range l.Rows {
		if r.Seq < prev {
			t.Errorf("row %d (%s) starts at event %d, before the row above (%d)", i, r.Text, r.Seq, prev)
		}
		prev = r.Seq
		if r.LastSeq < r.Seq || r.Until < r.T || r.Count < 1 {
			t.Errorf("row %d (%s): seq %d..%d, t %d..%d, count %d", i, r.Text, r.Seq, r.LastSeq, r.T, r.Until, r.Count)
		}
		if r.Kind == ArrowRow && (r.From == r.To || r.Text == "") {
			t.Errorf("row %d: arrow %v->%v with label %q", i, r.From, r.To, r.Text)
		}
		if r.Death {
			down = true
		}
		if r.Kind == NoteRow && strings.Contains(r.Text, "starts: a fresh parser") {
			down = false
		}
		if !r.Death && r.AgentDown != down {
			t.Errorf("row %d (%s): agent down %v, want %v", i, r.Text, r.AgentDown, down)
		}
		if r.Verdict != "" {
			ends[r.Req] += r.Count
		}
		if r.TakenFrom >= 0 {
			src := l.Rows[r.TakenFrom]
			if r.TakenFrom >= i || src.Kind != ArrowRow || src.To != Host {
				t.Errorf("row %d (%s) takes its bytes from row %d (%s), which is no arrow to the host above it", i, r.Text, r.TakenFrom, src.Text)
			}
		}
	}
	for _, q := range sum.Requests {
		want := 1
		if q.Ended < 0 {
			want = 0 // no outcome: nothing ends it
		}
		if ends[q.Req] != want {
			t.Errorf("request #%d (%s, %s) ends in %d rows, want %d", q.Req, q.Cmd, q.Verdict, ends[q.Req], want)
		}
		if q.Verdict == check.Misattributed && q.GotReplyOf > 0 {
			found := false
			for _, r := range l.Rows {
				if r.Req == q.Req && r.Verdict == check.Misattributed && r.TakenFrom >= 0 && l.Rows[r.TakenFrom].Req == q.GotReplyOf {
					found = true
				}
			}
			if !found {
				t.Errorf("request #%d got #%d's reply, but no row draws that reply reaching it", q.Req, q.GotReplyOf)
			}
		}
	}
}

// Faults show as marks on the arrows whose bytes they touched.
func TestFaultMarks(t *testing.T) {
	for _, tc := range []struct {
		name, faults string
		dir          string // the direction of the marked arrow
		mark         MarkKind
	}{
		{"drop", "{kind: drop, direction: to-agent, trigger: {after-bytes: 5, max-count: 1}}", "h2a", Lost},
		{"corrupt", "{kind: corrupt, direction: to-agent, trigger: {after-bytes: 5, max-count: 1}}", "h2a", Corrupted},
		{"truncate", "{kind: truncate, direction: to-host, after: 10, trigger: {after-bytes: 200, max-count: 1}}", "a2h", Cut},
		{"duplicate", "{kind: duplicate, direction: to-agent, n: 3, trigger: {after-bytes: 3, max-count: 1}}", "h2a", Added},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := fmt.Sprintf(`version: 1
name: mark-%s
seed: 1
duration: 20s
transport: virtio-serial
client: {strategy: delimited, timeout: 2s}
faults:
  - %s
steps:
  - send: guest-info
  - send: guest-ping
`, tc.name, tc.faults)
			l, sum := parseAndBuild(t, src)
			checkLadder(t, l, sum)
			var got []string
			for _, r := range l.Rows {
				for _, m := range r.Marks {
					if r.Dir == tc.dir && m.Kind == tc.mark && m.N > 0 {
						return
					}
					got = append(got, r.Dir+" "+m.Kind.String())
				}
			}
			var b bytes.Buffer
			_ = Text(&b, l, TextOptions{})
			t.Errorf("no %s mark on a %s arrow (marks: %v)\n%s", tc.mark, tc.dir, got, b.String())
		})
	}
}

func parseAndBuild(t *testing.T, src string) (*Ladder, check.Summary) {
	t.Helper()
	sc, err := scenarios.Parse("test.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	run := scenariotest.Execute(t, sc)
	info := model.Info{Scenario: sc.Name, Seed: run.Config.Seed, Transport: sc.Transport, Strategy: sc.Client.Strategy}
	return Build(info, run.Events, run.Summary, Options{}), run.Summary
}

// A long run keeps at most MaxRows rows, and says how many it dropped.
func TestRowsBounded(t *testing.T) {
	var steps strings.Builder
	for i := 0; i < 300; i++ {
		fmt.Fprintf(&steps, "  - send: guest-ping\n  - sleep: 10ms\n")
	}
	src := "version: 1\nname: long\nseed: 1\nduration: 60s\ntransport: virtio-serial\nclient: {strategy: none}\nsteps:\n" + steps.String()
	sc, err := scenarios.Parse("long.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	run := scenariotest.Execute(t, sc)
	b := NewBuilder(model.Info{Scenario: "long"}, Options{MaxRows: 100})
	for _, ev := range run.Events {
		b.Apply(ev)
		if len(b.slots) > 100 {
			t.Fatalf("%d rows kept, limit 100", len(b.slots))
		}
	}
	l := b.Ladder(run.Summary)
	if l.Omitted == 0 || len(l.Rows) > 100 {
		t.Errorf("%d rows, %d omitted", len(l.Rows), l.Omitted)
	}
	found := false
	for _, r := range l.Rows[len(l.Rows)-5:] {
		found = found || strings.HasPrefix(r.HostText, "#300 ")
	}
	if !found {
		t.Errorf("the 300th request's reply is not among the last rows")
	}
}

// The ladder is free of any terminal: the TUI gives it colours, not the
// other way round.
func TestNoTerminalImport(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, dep := range strings.Fields(string(out)) {
		if strings.Contains(dep, "tcell") || strings.Contains(dep, "tview") {
			t.Errorf("ui/ladder depends on %s", dep)
		}
	}
}

// Every library scenario's SVG is well-formed XML with one group per row,
// and a hostile label is escaped.
func TestSVG(t *testing.T) {
	for _, name := range scenariotest.LibraryNames() {
		l, _ := library(t, name)
		var b bytes.Buffer
		if err := SVG(&b, l, SVGOptions{}); err != nil {
			t.Fatal(err)
		}
		rows := wellFormed(t, name, b.Bytes())
		if rows != len(l.Rows) {
			t.Errorf("%s: %d row groups for %d rows", name, rows, len(l.Rows))
		}
	}
	l := &Ladder{Info: model.Info{Scenario: `<script>alert(1)</script>`}, Rows: []Row{
		{Kind: ArrowRow, From: Host, To: Agent, Dir: "h2a", Text: `raw '</text><script>x</script>&'`, Count: 1, TakenFrom: -1},
		{Kind: NoteRow, From: Host, To: Host, Text: `"quoted" <b>`, Count: 1, TakenFrom: -1},
	}}
	var b bytes.Buffer
	if err := SVG(&b, l, SVGOptions{}); err != nil {
		t.Fatal(err)
	}
	wellFormed(t, "hostile", b.Bytes())
	if strings.Contains(b.String(), "<script") || strings.Contains(b.String(), "<b>") {
		t.Errorf("unescaped markup in the SVG:\n%s", b.String())
	}
}

// wellFormed parses an SVG as XML and counts its row groups.
func wellFormed(t *testing.T, name string, svg []byte) int {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(svg))
	rows := 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return rows
		}
		if err != nil {
			t.Fatalf("%s: not well-formed XML: %v", name, err)
		}
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "g" {
			for _, a := range se.Attr {
				if a.Name.Local == "class" && a.Value == "row" {
					rows++
				}
			}
		}
	}
}
