package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/qgasim/qgasim/scenarios"
	"github.com/qgasim/qgasim/ui/htmlreport"
	"github.com/qgasim/qgasim/ui/ladder"
	"github.com/qgasim/qgasim/ui/model"
)

// pictureFlags are run's --html and --mermaid: the run as a picture, in a
// file, next to the text report.
type pictureFlags struct {
	html, mermaid string
}

func addPictureFlags(cmd *cobra.Command) *pictureFlags {
	p := &pictureFlags{}
	f := cmd.Flags()
	f.StringVar(&p.html, "html", "", "also write the run as one self-contained HTML page to `FILE` (ladder, bytes, verdicts)")
	f.StringVar(&p.mermaid, "mermaid", "", "also write the ladder diagram as a Mermaid sequenceDiagram in Markdown to `FILE.md`")
	return p
}

// write writes the pictures asked for. input is the scenario as the user
// named it (a file or a library name), for the command that reproduces it.
func (p *pictureFlags) write(rep *report, input string) error {
	if p.html == "" && p.mermaid == "" {
		return nil
	}
	command := reproduce(input, rep.cfg.Seed)
	if p.html != "" {
		var b bytes.Buffer
		run := &scenarios.Run{Config: rep.cfg, Events: rep.events, Summary: rep.summary, Results: rep.results, Virtual: rep.virtual}
		if err := htmlreport.Write(&b, htmlreport.Input{Scenario: rep.sc, Run: run, Command: command, Version: version()}); err != nil {
			return err
		}
		if err := writeOutput(p.html, b.Bytes(), rep.sc.File); err != nil {
			return err
		}
	}
	if p.mermaid != "" {
		info := model.Info{Scenario: rep.sc.Name, Description: rep.sc.Description, Seed: rep.cfg.Seed,
			Transport: rep.sc.Transport, Strategy: rep.sc.Client.Strategy}
		l := ladder.Build(info, rep.events, rep.summary, ladder.Options{})
		var b bytes.Buffer
		if err := ladder.MermaidMarkdown(&b, l, command, ladder.MermaidOptions{}); err != nil {
			return err
		}
		if err := writeOutput(p.mermaid, b.Bytes(), rep.sc.File); err != nil {
			return err
		}
	}
	return nil
}

// reproduce is the command line that runs the same scenario with the same
// seed.
func reproduce(input string, seed uint64) string {
	arg := input
	if strings.ContainsAny(arg, " \t'\"$\\") {
		arg = "'" + strings.ReplaceAll(arg, "'", `'\''`) + "'"
	}
	return "qgasim run " + arg + " --seed " + strconv.FormatUint(seed, 10)
}

// writeOutput writes data to path through a temporary file in the same
// directory and a rename, so that a reader never sees half a file and a
// failed write leaves what was there. It refuses to replace the scenario it
// was made from.
func writeOutput(path string, data []byte, input string) error {
	if input != "" {
		if a, err := os.Stat(path); err == nil {
			if b, err := os.Stat(input); err == nil && os.SameFile(a, b) {
				return fmt.Errorf("%s: refusing to overwrite the scenario it was made from", path)
			}
		}
	}
	if st, err := os.Stat(path); err == nil && !st.Mode().IsRegular() {
		return fmt.Errorf("%s: not a regular file", path)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	_, werr := tmp.Write(data)
	cerr := tmp.Close()
	if werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Chmod(tmp.Name(), 0o644)
	}
	if werr == nil {
		werr = os.Rename(tmp.Name(), path)
	}
	if werr != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("%s: %w", path, werr)
	}
	return nil
}
