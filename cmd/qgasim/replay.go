package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/qgasim/qgasim/internal/outfile"
	"github.com/qgasim/qgasim/internal/termsafe"
	"github.com/qgasim/qgasim/scenarios"
	"github.com/qgasim/qgasim/sim"
	"github.com/qgasim/qgasim/sim/live"
	"github.com/qgasim/qgasim/sim/trace"
)

// newReplayCmd is `qgasim replay TRACE`: a recorded session against the
// simulated agent, in virtual time.
func newReplayCmd() *cobra.Command {
	var (
		scenarioArg, savePath string
		asJSON                bool
		until                 time.Duration
	)
	cmd := &cobra.Command{
		Use:   "replay TRACE.jsonl [--scenario FILE] [--save repro.yaml] [flags]",
		Short: "re-run a recorded session against the simulated agent and list every difference",
		Long: `Re-runs what the host did in a recorded trace (from run, serve or proxy): its
connects, writes and closes at their recorded virtual times, and every fault
firing at the time it fired, against the simulated agent in virtual time; then
compares, message by message, what the simulated agent answered with what the
recorded agent answered, and lists every place where they differ. For a proxy
trace of a real qemu-ga this checks the simulator against a real session.

The transport, link and agent come from the scenario the session ran (named in
a serve or proxy trace's first event) or from --scenario; faults keep that
scenario's parameters. With --save FILE the session is written as a scenario
(the recorded host bytes as raw steps at their times, the faults firing once
each) that 'qgasim run' plays deterministically, judging the requests of those raw
steps from their bytes as serve's report judges a client's. A session too long for a
scenario file (at most 350,000 YAML tokens: some 58,000 steps) is saved with
host writes merged where a run of it still answers every message as the
replay did; when no such form fits, nothing is saved and the message says how
much of the session does: --until D replays and saves the part before D.

Exit status: 0 no difference, 1 differences, 2 bad input.`,
		Example: `  qgasim proxy my.yaml --listen unix:/tmp/p.sock --connect unix:/tmp/qga.sock --trace s.jsonl
  qgasim replay s.jsonl --save repro.yaml && qgasim run repro.yaml`,
		Args: exactArgs(1, "one trace file"),
		RunE: func(cmd *cobra.Command, args []string) error {
			stdout, stderr := cmd.OutOrStdout(), cmd.ErrOrStderr()
			tracePath := args[0]
			rec, err := readRecordingFile(tracePath)
			if err != nil {
				fmt.Fprintln(stderr, termsafe.Line(err.Error()))
				return exitStatus(exitBadInput)
			}
			if until < 0 {
				return usageError{fmt.Errorf("--until %v: want a positive duration", until)}
			}
			if until > 0 {
				rec = rec.Until(int64(until))
				if len(rec.Host) == 0 && len(rec.Messages) == 0 {
					fmt.Fprintf(stderr, "%s: nothing happened before --until %v\n", termsafe.Line(tracePath), until)
					return exitStatus(exitBadInput)
				}
			}
			src, sc, cfg, note, ok := replayScenario(scenarioArg, tracePath, rec, stderr)
			if !ok {
				return exitStatus(exitBadInput)
			}
			if until > 0 {
				note += ", its part before " + until.String()
			}
			var saveOut *outfile.File
			if savePath != "" {
				inputs := append([]string{tracePath}, src.files()...)
				f, err := outfile.Create(savePath, outfile.Options{Inputs: inputs, Stdout: rawOut(cmd)})
				if err != nil {
					return fmt.Errorf("--save: %w", err)
				}
				defer f.Abort()
				saveOut = f
			}
			res, err := live.Replay(cfg, rec, cfg.Faults)
			if err != nil {
				return fmt.Errorf("replay: %w", err)
			}
			reportOut, jsonOut := stdout, rawOut(cmd)
			if saveOut != nil && saveOut.IsStdout() {
				reportOut, jsonOut = stderr, rawErr(cmd)
			}
			if asJSON {
				enc := json.NewEncoder(jsonOut)
				enc.SetIndent("", "  ")
				_ = enc.Encode(replayJSON(tracePath, note, rec, res))
			} else {
				replayText(reportOut, tracePath, note, rec, res)
			}
			if saveOut != nil {
				name := "replay"
				if sc != nil {
					name = sc.Name + "-replay"
				}
				desc := "The session recorded in " + filepath.Base(tracePath) + ", replayed: the host's bytes at their\n" +
					"recorded times and the faults as they fired."
				if rec.Session != nil {
					desc += "\nRecorded by qgasim " + rec.Session.Mode + " on scenario " + rec.Session.Scenario + "."
				}
				if until > 0 {
					desc += "\nIts first " + until.String() + " (replay --until)."
				}
				form, err := saveRepro(sc, cfg, name, desc, termsafe.Line(tracePath), rec, res)
				if err != nil {
					return fmt.Errorf("--save: %w", err)
				}
				_, _ = saveOut.Write(form.data)
				if err := saveOut.Commit(); err != nil {
					return fmt.Errorf("--save: %w", err)
				}
				fmt.Fprintf(stderr, "saved the session as %s", termsafe.Line(saveOut.Name()))
				if form.level != mergeNone {
					fmt.Fprintf(stderr, " (a long one: its %d host writes as %d raw steps, %s; run, it answers every message as the replay did)",
						form.writes, form.steps, mergeWords[form.level])
				}
				fmt.Fprintln(stderr)
			}
			if len(res.Differences) > 0 {
				return exitStatus(exitFailed)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&scenarioArg, "scenario", "", "take the transport, link, agent and fault parameters from `FILE` (default: the scenario the trace names)")
	f.StringVar(&savePath, "save", "", "write the session as a scenario `FILE` that 'qgasim run' reproduces; - for standard output")
	f.BoolVar(&asJSON, "json", false, "print the result as JSON, for machines")
	f.DurationVar(&until, "until", 0, "replay (and save) only the part of the session before virtual time `D`; the replies to what was sent before D still count")
	return cmd
}

// readRecordingFile reads a JSON Lines trace for replay as it goes,
// keeping only what a replay needs: a trace of millions of notes costs no
// more memory than its host writes and replies. Errors name the file and
// line.
func readRecordingFile(path string) (*live.Recording, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := trace.NewReader(f)
	var b live.RecordingBuilder
	n := 0
	for {
		ev, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %v (want a trace written by qgasim run, serve or proxy --trace)", path, strings.TrimPrefix(err.Error(), "trace: "))
		}
		b.Add(ev)
		n++
	}
	if n == 0 {
		return nil, fmt.Errorf("%s: no events", path)
	}
	rec, err := b.Recording()
	if err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	return rec, nil
}

// replayScenario finds the configuration to replay against: --scenario,
// else the scenario the trace names, else the defaults for the trace's
// transport. note says which, for the report.
func replayScenario(arg, tracePath string, rec *live.Recording, stderr io.Writer) (scenarioArg, *scenarios.Scenario, sim.Config, string, bool) {
	named := arg
	if named == "" && rec.Session != nil && rec.Session.File != "" {
		named = rec.Session.File
		if !filepath.IsAbs(named) {
			if _, err := os.Stat(named); err != nil {
				// Relative to where the trace was made: try beside the trace.
				if alt := filepath.Join(filepath.Dir(tracePath), named); fileExists(alt) {
					named = alt
				}
			}
		}
	}
	if named != "" {
		var seed *uint64
		if rec.Session != nil {
			seed = &rec.Session.Seed
		}
		src, sc, cfg, ok := loadScenario(named, seed, stderr)
		if !ok {
			if arg == "" {
				fmt.Fprintf(stderr, "the trace names scenario %s; give --scenario FILE to replay against another\n", termsafe.Line(named))
			}
			return src, nil, sim.Config{}, "", false
		}
		return src, sc, cfg, "against " + src.display(), true
	}
	cfg := sim.Config{Seed: 1}
	note := "against the default agent on virtio-serial (the trace names no scenario; --scenario gives one)"
	if rec.Session != nil {
		cfg.Seed, cfg.Transport = rec.Session.Seed, rec.Session.Transport
		note = "against the default agent on " + cfg.Transport + " (--scenario gives the agent's settings)"
	}
	return scenarioArg{}, nil, cfg, note, true
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

func replayText(w io.Writer, path, note string, rec *live.Recording, res *live.ReplayResult) {
	fmt.Fprintf(w, "replay %s %s\n", termsafe.Line(path), termsafe.Line(note))
	fmt.Fprintf(w, "  %d host actions, %d fault firings, %d messages recorded; %d messages replayed in %ss virtual\n",
		len(rec.Host), len(rec.Firings), len(rec.Messages), len(res.Replayed), secs(res.Virtual))
	if len(res.Differences) == 0 {
		fmt.Fprintln(w, "0 differences: the simulated agent answered every message as the recorded one did")
		return
	}
	fmt.Fprintf(w, "%d differences:\n", len(res.Differences))
	for _, d := range res.Differences {
		t := int64(0)
		if d.Recorded != nil {
			t = d.Recorded.T
		} else {
			t = d.Replayed.T
		}
		fmt.Fprintf(w, "  %s  %s\n", secs(t), termsafe.Line(d.What()))
	}
}

type replayDoc struct {
	Format      int              `json:"format"`
	Trace       string           `json:"trace"`
	Against     string           `json:"against"`
	Session     *trace.Session   `json:"session,omitempty"`
	HostActions int              `json:"host_actions"`
	Firings     int              `json:"firings"`
	Recorded    int              `json:"recorded"`
	Replayed    int              `json:"replayed"`
	VirtualNS   int64            `json:"virtual_ns"`
	Differences []replayDiffJSON `json:"differences"`
}

type replayDiffJSON struct {
	OriginOff int64   `json:"origin_off"`
	Command   string  `json:"command,omitempty"`
	Recorded  *string `json:"recorded"`
	Replayed  *string `json:"replayed"`
	What      string  `json:"what"`
}

// replayFormat is the version of replay's --json layout (docs/live.md).
const replayFormat = 1

func replayJSON(path, note string, rec *live.Recording, res *live.ReplayResult) replayDoc {
	d := replayDoc{Format: replayFormat, Trace: path, Against: note, Session: rec.Session, HostActions: len(rec.Host),
		Firings: len(rec.Firings), Recorded: len(rec.Messages), Replayed: len(res.Replayed), VirtualNS: res.Virtual,
		Differences: []replayDiffJSON{}}
	text := func(m *live.Message) *string {
		if m == nil {
			return nil
		}
		s := string(m.Reply)
		return &s
	}
	for _, x := range res.Differences {
		j := replayDiffJSON{OriginOff: x.OriginOff, Recorded: text(x.Recorded), Replayed: text(x.Replayed), What: x.What()}
		if x.Recorded != nil {
			j.Command = x.Recorded.Cmd
		} else {
			j.Command = x.Replayed.Cmd
		}
		d.Differences = append(d.Differences, j)
	}
	return d
}
