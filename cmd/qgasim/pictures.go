package main

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/qgasim/qgasim/internal/outfile"
	"github.com/qgasim/qgasim/ui/htmlreport"
	"github.com/qgasim/qgasim/ui/ladder"
	"github.com/qgasim/qgasim/ui/model"
)

// pictureFlags are run's --html and --mermaid: the run as a picture, in a
// file, next to the text report.
type pictureFlags struct {
	html, mermaid       string
	htmlOut, mermaidOut *outfile.File
}

func addPictureFlags(cmd *cobra.Command) *pictureFlags {
	p := &pictureFlags{}
	f := cmd.Flags()
	f.StringVar(&p.html, "html", "", "also write the run as one self-contained HTML page to `FILE` (ladder, bytes, verdicts)")
	f.StringVar(&p.mermaid, "mermaid", "", "also write the ladder diagram as a Mermaid sequenceDiagram in Markdown to `FILE.md`")
	return p
}

// create prepares the output files before the run, so that a bad path
// fails at once: none may be an input or another output.
func (p *pictureFlags) create(inputs []string, others ...string) error {
	// Outputs that do not exist yet are not caught by outfile's check of
	// inputs: compare their names.
	seen := map[string]string{}
	for _, o := range append([]string{p.html, p.mermaid}, others...) {
		if o == "" || o == outfile.Stdout {
			continue
		}
		abs, err := filepath.Abs(o)
		if err != nil {
			return err
		}
		if prev, dup := seen[abs]; dup {
			return fmt.Errorf("%s and %s are one file: give each output its own", prev, o)
		}
		seen[abs] = o
	}
	for _, o := range []struct {
		flag, path string
		out        **outfile.File
	}{{"--html", p.html, &p.htmlOut}, {"--mermaid", p.mermaid, &p.mermaidOut}} {
		if o.path == "" {
			continue
		}
		protect := append(append([]string(nil), inputs...), others...)
		for _, q := range []string{p.html, p.mermaid} {
			if q != o.path {
				protect = append(protect, q)
			}
		}
		f, err := outfile.Create(o.path, outfile.Options{Inputs: protect})
		if err != nil {
			p.abort()
			return fmt.Errorf("%s: %w", o.flag, err)
		}
		*o.out = f
	}
	return nil
}

// wanted reports whether a picture is asked for: the run must then keep
// its events.
func (p *pictureFlags) wanted() bool { return p.htmlOut != nil || p.mermaidOut != nil }

// abort removes what create prepared (after a commit, nothing).
func (p *pictureFlags) abort() {
	for _, f := range []*outfile.File{p.htmlOut, p.mermaidOut} {
		if f != nil {
			f.Abort()
		}
	}
}

// write writes and commits the pictures asked for. input is the scenario as
// the user named it (a file or a library name), for the command that
// reproduces the run.
func (p *pictureFlags) write(rep *report, input string) error {
	command := reproduce(input, rep.cfg.Seed)
	if f := p.htmlOut; f != nil {
		// A failed write is remembered by f: Commit says it.
		_ = htmlreport.Write(f, htmlreport.Input{Scenario: rep.sc, Run: rep.run, Command: command, Version: version()})
		if err := f.Commit(); err != nil {
			return fmt.Errorf("--html: %w", err)
		}
	}
	if f := p.mermaidOut; f != nil {
		info := model.Info{Scenario: rep.sc.Name, Description: rep.sc.Description, Seed: rep.cfg.Seed,
			Transport: rep.sc.Transport, Strategy: rep.sc.Client.Strategy}
		l := ladder.Build(info, rep.run.Events, rep.summary, ladder.Options{})
		_ = ladder.MermaidMarkdown(f, l, command, ladder.MermaidOptions{})
		if err := f.Commit(); err != nil {
			return fmt.Errorf("--mermaid: %w", err)
		}
	}
	return nil
}

// reproduce is the command line that runs the same scenario with the same
// seed.
func reproduce(input string, seed uint64) string {
	arg := input
	if strings.ContainsAny(arg, " \t'\"$\\;&|<>()`*?!#~") {
		arg = "'" + strings.ReplaceAll(arg, "'", `'\''`) + "'"
	}
	return "qgasim run " + arg + " --seed " + strconv.FormatUint(seed, 10)
}
