package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"
)

// progress tells how a long command goes, on standard error: on a terminal
// a bar redrawn in place with the rate and the time left, otherwise (a CI
// log, a file) a plain line every few seconds. Standard output, which has
// the result, gets none of it.
type progress struct {
	name   string
	raw    io.Writer // standard error as it is, for the bar's carriage returns
	human  io.Writer // standard error for lines
	bar    bool
	total  uint64
	jobs   int
	start  time.Time
	shown  time.Time // the last draw
	now    func() time.Time
	drawn  bool
	period time.Duration // between two plain lines
}

// newProgress starts the progress of total runs on jobs cores.
func newProgress(cmd *cobra.Command, total uint64, jobs int) *progress {
	p := &progress{name: cmd.CommandPath(), raw: rawErr(cmd), human: cmd.ErrOrStderr(), total: total, jobs: jobs,
		now: time.Now, period: 5 * time.Second}
	if f, ok := p.raw.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		p.bar = true
	}
	p.start = p.now()
	p.shown = p.start
	return p
}

// update is told that done runs are done.
func (p *progress) update(done uint64) {
	now := p.now()
	if p.bar {
		if now.Sub(p.shown) < 100*time.Millisecond && done < p.total {
			return
		}
		p.shown = now
		fmt.Fprintf(p.raw, "\r%s\x1b[K", p.barLine(done, now))
		p.drawn = true
		return
	}
	if now.Sub(p.shown) < p.period || done >= p.total {
		return
	}
	p.shown = now
	fmt.Fprintf(p.human, "%s: %d of %d runs, %s runs/s, %s left\n", p.name, done, p.total, p.rate(done, now), p.left(done, now))
}

// finish ends the progress: the bar is cleared, and one line says how
// many runs took how long.
func (p *progress) finish(done uint64) {
	now := p.now()
	if p.drawn {
		fmt.Fprint(p.raw, "\r\x1b[K")
	}
	fmt.Fprintf(p.human, "%s: %d runs in %v, %s runs/s on %d jobs\n", p.name, done, now.Sub(p.start).Round(time.Millisecond),
		p.rate(done, now), p.jobs)
}

const barWidth = 30

func (p *progress) barLine(done uint64, now time.Time) string {
	frac := 1.0
	if p.total > 0 {
		frac = float64(done) / float64(p.total)
	}
	full := int(frac * barWidth)
	bar := strings.Repeat("#", full) + strings.Repeat("-", barWidth-full)
	return fmt.Sprintf("[%s] %3.0f%%  %d/%d runs  %s runs/s  ETA %s", bar, frac*100, done, p.total, p.rate(done, now), p.left(done, now))
}

// rate is runs a second so far.
func (p *progress) rate(done uint64, now time.Time) string {
	el := now.Sub(p.start).Seconds()
	if el <= 0 || done == 0 {
		return "-"
	}
	return fmt.Sprintf("%.0f", float64(done)/el)
}

// maxLeft is the longest time left that progress shows as a duration.
const (
	maxLeft      = 100 * 365 * 24 * time.Hour
	maxLeftWords = "100 years"
)

// left is the time left at the rate so far.
func (p *progress) left(done uint64, now time.Time) string {
	el := now.Sub(p.start)
	if done == 0 || el <= 0 {
		return "?"
	}
	restNs := float64(el) / float64(done) * float64(p.total-done)
	if restNs >= float64(maxLeft) {
		// Past what a Duration holds (292 years), the conversion would
		// wrap to a negative time.
		return "more than " + maxLeftWords
	}
	rest := time.Duration(restNs)
	if rest >= time.Minute {
		return rest.Round(time.Second).String()
	}
	return rest.Round(100 * time.Millisecond).String()
}
