package htmlreport

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"regexp"
	"strings"
	"time"

	"github.com/qgasim/qgasim/scenarios"
	"github.com/qgasim/qgasim/sim/check"
	"github.com/qgasim/qgasim/sim/trace"
	"github.com/qgasim/qgasim/ui/bytefmt"
	"github.com/qgasim/qgasim/ui/ladder"
	"github.com/qgasim/qgasim/ui/model"
)

// Input is what a report shows: a scenario, its run, and how to run it
// again.
type Input struct {
	Scenario *scenarios.Scenario
	Run      *scenarios.Run
	// Command is the command line that reproduces the run (it is shown to
	// copy, with the seed), e.g. "qgasim run stale-reply-virtio --seed 42".
	Command string
	// Version is the qgasim version that made the report ("" leaves it out).
	Version string
	// StreamBytes bounds the bytes each stream shows (0: DefaultStreamBytes):
	// the newest are kept, the report says how many earlier ones are not
	// shown, and long runs of bytes of one class are folded.
	StreamBytes int
}

// DefaultStreamBytes keeps a report small enough to attach to a bug: the
// byte panes' window, with long runs folded.
const DefaultStreamBytes = 64 << 10

//go:embed report.html.tmpl
var pageTemplate string

//go:embed report.css
var pageCSS string

//go:embed report.js
var pageJS string

var page = template.Must(template.New("report").Funcs(template.FuncMap{
	"time": bytefmt.Time,
	"dur":  bytefmt.Duration,
	"count": func(n int64) string {
		return bytefmt.Count(n)
	},
}).Parse(pageTemplate))

// Write writes the report: one HTML file that needs nothing else (no
// network, no script or font from elsewhere). Every text from the scenario
// and the run goes through html/template's escaping.
func Write(w io.Writer, in Input) error {
	v, err := build(in)
	if err != nil {
		return err
	}
	var b bytes.Buffer
	if err := page.Execute(&b, v); err != nil {
		return fmt.Errorf("html report: %w", err)
	}
	_, err = w.Write(b.Bytes())
	return err
}

// view is everything the template shows.
type view struct {
	Title, Name, File, Transport, Strategy string
	Seed                                   uint64
	Pass                                   bool
	Virtual                                int64
	Command, Version                       string
	Description                            []paragraph
	Steps                                  []step
	Counts                                 string
	Wrong                                  bool // a verdict other than correct
	Lost                                   int
	Expect                                 []scenarios.Result
	Requests                               []request
	Ladder                                 template.HTML
	Legend                                 []legend
	Streams                                []stream
	Stories                                map[string]any
	Faults                                 []fault
	CSS                                    template.CSS
	JS                                     template.JS
}

type paragraph []textPart

// textPart is a piece of a paragraph: text, or a link when URL is set.
type textPart struct {
	Text, URL string
}

type step struct {
	T          int64
	N          int
	Text, Note string
}

type request struct {
	check.Request
	Latency, Verdict, Class, Reply string
}

type legend struct {
	Key, Name, Sample string
}

type fault struct {
	T               int64
	Name, Dir, Text string
}

// stream is one direction's byte pane.
type stream struct {
	Dir, Title     string
	Segments       []segment
	Hidden         int64 // segments dropped from the front (the window)
	Written, Lost  int64
	Delivered      int64
	Changed, Added int64
}

type segment struct {
	Marker bool
	Glyph  string
	T      int64
	Label  string
	N      int
	Kind   string // "write" or "added"
	Runs   []run
}

// run is bytes of one class, one cell each, or a fold standing for many.
type run struct {
	Class string
	Cells []string
	Fold  int // >0: a fold of that many bytes
}

func build(in Input) (*view, error) {
	sc, run := in.Scenario, in.Run
	if sc == nil || run == nil {
		return nil, fmt.Errorf("html report: no scenario or run")
	}
	v := &view{Title: sc.Name + " · qgasim", Name: sc.Name, File: sc.File, Transport: sc.Transport, Strategy: sc.Client.Strategy,
		Seed: run.Config.Seed, Pass: run.Pass(), Virtual: run.Virtual, Command: in.Command, Version: in.Version,
		Description: paragraphs(sc.Description), Lost: run.Summary.Lost, Expect: run.Results,
		CSS: template.CSS(pageCSS), JS: template.JS(pageJS)}
	v.Counts = "The oracle: " + check.CountWords(check.Verdicts, run.Summary.Counts)
	for verdict, n := range run.Summary.Counts {
		v.Wrong = v.Wrong || (verdict != check.Correct && n > 0)
	}
	for _, ev := range run.Events {
		switch ev.Kind {
		case trace.KindStep:
			v.Steps = append(v.Steps, step{T: ev.T, N: ev.Step, Text: ev.Text})
		case trace.KindNote:
			if n := len(v.Steps); n > 0 && v.Steps[n-1].N == ev.Step {
				v.Steps[n-1].Note = ev.Text
			}
		case trace.KindFault:
			name := ev.Name
			if name == "" {
				name = ev.Fault
			}
			v.Faults = append(v.Faults, fault{T: ev.T, Name: name, Dir: ev.Dir, Text: ev.Text})
		}
	}
	for _, q := range run.Summary.Requests {
		r := request{Request: q, Verdict: string(q.Verdict), Class: "bad", Latency: "–"}
		if q.Verdict == check.Correct {
			r.Class = "good"
		}
		if q.Ended >= 0 {
			r.Latency = time.Duration(q.Ended - q.Issued).Round(time.Microsecond).String()
		}
		r.Reply = clip(strings.ToValidUTF8(trace.Quote(q.Reply), "?"), 160)
		v.Requests = append(v.Requests, r)
	}
	info := model.Info{Scenario: sc.Name, Description: sc.Description, Seed: run.Config.Seed, Transport: sc.Transport, Strategy: sc.Client.Strategy}
	lad := ladder.Build(info, run.Events, run.Summary, ladder.Options{})
	var svg bytes.Buffer
	if err := ladder.SVG(&svg, lad, ladder.SVGOptions{}); err != nil {
		return nil, err
	}
	// The SVG is ours, built with every text escaped (ladder.SVG).
	v.Ladder = template.HTML(svg.String())
	for _, c := range bytefmt.Classes() {
		sample := `{"r`
		if c == bytefmt.Sentinel {
			sample = "█"
		}
		v.Legend = append(v.Legend, legend{Key: c.Key(), Name: c.String(), Sample: sample})
	}
	v.CSS = template.CSS(pageCSS + palette())
	limit := in.StreamBytes
	if limit <= 0 {
		limit = DefaultStreamBytes
	}
	m := model.New(info, model.Limits{StreamBytes: int64(limit), StreamSegments: 1 << 14, Deliveries: 1 << 16})
	for _, ev := range run.Events {
		m.Apply(ev)
	}
	v.Stories = map[string]any{}
	var lines []string
	index := map[string]int{}
	for _, s := range []*model.Stream{m.H2A, m.A2H} {
		st, stories := streamView(m, s, func(line string) int {
			if i, ok := index[line]; ok {
				return i
			}
			index[line] = len(lines)
			lines = append(lines, line)
			return len(lines) - 1
		})
		v.Streams = append(v.Streams, st)
		v.Stories[s.Dir] = stories
	}
	v.Stories["lines"] = lines
	return v, nil
}

// palette is the CSS of the byte classes: the ladder's colours, so that a
// byte and an arrow of one class look alike.
func palette() string {
	var b strings.Builder
	for _, c := range bytefmt.Classes() {
		fg, bg := ladder.ClassColor(c)
		fmt.Fprintf(&b, ".k-%s{color:%s", c.Key(), fg)
		if bg != "" {
			fmt.Fprintf(&b, ";background:%s", bg)
		}
		b.WriteString("}\n")
	}
	b.WriteString(".k-dropped{text-decoration:line-through}.k-duplicated{text-decoration:underline}.k-accepted,.k-sentinel{font-weight:bold}.k-discarded{opacity:.75}\n")
	return b.String()
}

// foldRun is the longest run of one class shown whole; a longer one shows
// its first and last foldKeep bytes around a fold.
const (
	foldRun  = 96
	foldKeep = 32
)

// streamView lays out one stream: segments, their bytes in runs of one
// class (long runs folded), and the story of every byte shown, as indexes
// into the shared table of lines.
func streamView(m *model.Model, s *model.Stream, line func(string) int) (stream, [][]int) {
	st := stream{Dir: s.Dir, Title: ladder.DirName(s.Dir), Hidden: s.Evicted, Written: s.Written, Lost: s.Lost,
		Delivered: s.Delivered, Changed: s.Changed, Added: s.Added}
	var stories [][]int
	for _, seg := range s.Segs {
		sv := segment{T: seg.T, Label: seg.Label, N: len(seg.Bytes)}
		switch seg.Kind {
		case model.SegMarker:
			sv.Marker, sv.Glyph = true, string(seg.Glyph)
			st.Segments = append(st.Segments, sv)
			continue
		case model.SegAdded:
			sv.Kind = "added"
		default:
			sv.Kind = "write"
		}
		if sv.Label == "" {
			sv.Label = "bytes"
		}
		show := func(i int) {
			c := seg.Class(i).Key()
			cell := string(bytefmt.Text(seg.Bytes[i]))
			if n := len(sv.Runs); n > 0 && sv.Runs[n-1].Class == c && sv.Runs[n-1].Fold == 0 {
				sv.Runs[n-1].Cells = append(sv.Runs[n-1].Cells, cell)
			} else {
				sv.Runs = append(sv.Runs, run{Class: c, Cells: []string{cell}})
			}
			var ids []int
			for _, l := range m.Story(s, seg, i) {
				ids = append(ids, line(l))
			}
			stories = append(stories, ids)
		}
		for i := 0; i < len(seg.Bytes); {
			j := i + 1
			for j < len(seg.Bytes) && seg.Class(j) == seg.Class(i) {
				j++
			}
			if j-i <= foldRun {
				for k := i; k < j; k++ {
					show(k)
				}
			} else {
				for k := i; k < i+foldKeep; k++ {
					show(k)
				}
				sv.Runs = append(sv.Runs, run{Class: seg.Class(i).Key(), Fold: j - i - 2*foldKeep})
				for k := j - foldKeep; k < j; k++ {
					show(k)
				}
			}
			i = j
		}
		st.Segments = append(st.Segments, sv)
	}
	return st, stories
}

var urlRE = regexp.MustCompile(`https?://[^\s()<>"]+[^\s()<>".,;:]`)

// paragraphs splits a description into paragraphs at blank lines (the
// lines of one paragraph are joined), with its web addresses as links.
func paragraphs(s string) []paragraph {
	var out []paragraph
	for _, p := range strings.Split(strings.TrimSpace(s), "\n\n") {
		p = strings.Join(strings.Fields(p), " ")
		if p == "" {
			continue
		}
		var para paragraph
		last := 0
		for _, loc := range urlRE.FindAllStringIndex(p, -1) {
			if loc[0] > last {
				para = append(para, textPart{Text: p[last:loc[0]]})
			}
			para = append(para, textPart{Text: p[loc[0]:loc[1]], URL: p[loc[0]:loc[1]]})
			last = loc[1]
		}
		if last < len(p) {
			para = append(para, textPart{Text: p[last:]})
		}
		out = append(out, para)
	}
	return out
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
