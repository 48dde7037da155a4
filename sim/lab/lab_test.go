package lab

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"
)

// TestLab is the differential test: it boots the lab guest once (both
// agents run in it, on virtio-serial and on isa-serial), plays every
// experiment against the real agent, plays the same script against the
// simulator with the matching transport over simSeeds seeds, and requires
// the real transcript to be one the simulator gives: the only one, or, for
// an experiment marked racy, one of the named accepted outcomes.
//
// QGASIM_LAB_REPORT=FILE writes the table of real and simulated bytes (the
// one in docs/lab.md) to FILE.
func TestLab(t *testing.T) {
	start := time.Now()
	g := bootGuest(t)
	t.Logf("guest booted: virtio agent answered after %.2f s, isa agent after %.2f s",
		g.Booted.Seconds(), g.ISAUp.Seconds())
	if v, err := g.Ctl.Run("cat /proc/version; qemu-ga -V", 10*time.Second); err == nil {
		t.Logf("guest: %s", v)
	}
	var report strings.Builder
	fmt.Fprintf(&report, "| experiment | transport | read | real guest | simulator | verdict |\n|---|---|---|---|---|---|\n")
	for _, tr := range []string{Virtio, ISA} {
		for _, e := range Experiments {
			if !has(e.Transports, tr) {
				continue
			}
			t.Run(tr+"/"+e.Name, func(t *testing.T) {
				runExperiment(t, g, e, tr, &report)
			})
		}
	}
	t.Logf("lab total %.1f s (boot %.1f s)", time.Since(start).Seconds(), g.Booted.Seconds())
	if p := os.Getenv("QGASIM_LAB_REPORT"); p != "" {
		fmt.Fprintf(&report, "\nBoot: %.2f s to the virtio agent's first reply; whole test %.1f s.\n",
			g.Booted.Seconds(), time.Since(start).Seconds())
		if err := os.WriteFile(p, []byte(report.String()), 0o644); err != nil {
			t.Error(err)
		}
	}
}

func has(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func runExperiment(t *testing.T, g *Guest, e Experiment, tr string, report *strings.Builder) {
	outs, err := accepted(e, tr)
	if err != nil {
		t.Fatal(err)
	}
	real, err := NewReal(g, tr)
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Now()
	got, err := Play(real, e.Script)
	real.CloseAll()
	if err != nil {
		restore(g, real.Tag)
		t.Fatalf("real guest: %v\n%s", err, g.Diagnostics())
	}
	t.Logf("real guest (%.1f s):\n%s", time.Since(t0).Seconds(), got)
	k, ruled := MatchRules(got, outs, e.Rules)
	verdict := "same bytes"
	switch {
	case ruled:
		verdict = "accepted: " + rulesWhat(e.Rules)
	case k < 0:
		verdict = "DIFFERENT"
	case outs[k].Forced:
		verdict = fmt.Sprintf("accepted outcome %d of %d: %s %s (a forced tail; the simulator's own seeds do not give it)",
			k+1, len(outs), e.Racy, outs[k].TailNames())
	case len(outs) > 1:
		verdict = fmt.Sprintf("accepted outcome %d of %d: %s %s (simulator: %d of %d seeds)",
			k+1, len(outs), e.Racy, outs[k].TailNames(), len(outs[k].Seeds), simSeeds)
	}
	gap, isGap := KnownGaps[e.Name+"/"+tr]
	if k < 0 && isGap {
		verdict = "DIFFERENT: known gap of the model"
	}
	writeRows(report, e, tr, got, outs, k, verdict)
	if os.Getenv("QGASIM_LAB_RECORD") == "1" {
		if err := record(e, tr, got); err != nil {
			t.Error(err)
		}
	}
	if k >= 0 {
		t.Logf("matches the simulator: %s", verdict)
		if isGap {
			t.Errorf("%s/%s is listed in KnownGaps but now matches the simulator: remove it", e.Name, tr)
		}
		return
	}
	var sb strings.Builder
	for i, o := range outs {
		fmt.Fprintf(&sb, "accepted outcome %d (simulator seeds %v..., forced %v, queued after restart %s):\n%s", i+1, o.Seeds[:min(3, len(o.Seeds))], o.Forced, o.TailNames(), o.T)
	}
	if isGap {
		t.Logf("KNOWN GAP (%s); first difference:\n%s", gap, Diff(got, outs[0].T))
		return
	}
	t.Errorf("%s on %s: the real guest's bytes are none of the %d accepted outcome(s) (seed of the first: %d)\n%s\nfirst difference from outcome 1:\n%s",
		e.Name, tr, len(outs), outs[0].Seeds[0], sb.String(), Diff(got, outs[0].T))
}

// restore brings the agent back after a failed script: resumed, not held.
func restore(g *Guest, tag string) {
	g.Ctl.Run(fmt.Sprintf("kill -CONT $(cat /run/%s.pid 2>/dev/null) 2>/dev/null; rm -f /run/%s.hold", tag, tag), 5*time.Second)
	time.Sleep(time.Second)
}

// writeRows adds the experiment's reads (the clean-up read left out when it
// matched) to the report table.
func writeRows(w *strings.Builder, e Experiment, tr string, real Transcript, outs []Outcome, k int, verdict string) {
	sim := outs[0].T
	if k >= 0 {
		sim = outs[k].T
	}
	for i, r := range real.Reads {
		var s []byte
		if i < len(sim.Reads) {
			s = sim.Reads[i].Data
		}
		if r.Conn == "clean" && string(s) == string(r.Data) {
			continue
		}
		v := verdict
		if k < 0 && string(s) == string(r.Data) {
			v = "same bytes (the experiment differs elsewhere)"
		}
		fmt.Fprintf(w, "| %s | %s | %d: %s | %s | %s | %s |\n", e.Name, tr, r.Step+1, r.Conn,
			cell(r.Data), cell(s), v)
	}
}

// cell is bytes in a markdown table cell: quoted, pipes escaped, long
// replies shortened in the middle.
func cell(b []byte) string {
	q := Quote(b)
	if len(q) > 220 {
		q = q[:120] + fmt.Sprintf(" …(%d B)… ", len(b)) + q[len(q)-80:]
	}
	return "`" + strings.ReplaceAll(q, "|", `\|`) + "`"
}

// record adds the real transcript to testdata/real unless the same outcome
// is there already.
func record(e Experiment, tr string, got Transcript) error {
	path := RecordFile("testdata/real", e.Name, tr)
	old, err := ReadRecord(path)
	if err != nil && !os.IsNotExist(err) {
		return err
	}
	for _, o := range old {
		if o.Equal(got) {
			return nil
		}
	}
	if err := os.MkdirAll("testdata/real", 0o755); err != nil {
		return err
	}
	hdr := fmt.Sprintf("%s on %s: %s\nWhat the real qemu-ga 7.2 in the lab guest (QEMU 7.2, TCG) sent to the host,\nrecorded by QGASIM_LAB=1 QGASIM_LAB_RECORD=1 go test -run TestLab ./sim/lab/", e.Name, tr, e.What)
	return os.WriteFile(path, FormatRecord(hdr, append(old, got)), 0o644)
}

func rulesWhat(rules []ReadRule) string {
	var w []string
	for _, r := range rules {
		w = append(w, fmt.Sprintf("read step %d: %s", r.Step+1, r.What))
	}
	return strings.Join(w, "; ")
}
