package sim

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"github.com/qgasim/qgasim/sim/trace"
)

// traceWith runs cfg forgetting as told and returns its JSON Lines trace.
func traceWith(t *testing.T, cfg Config, f Forgetting) []byte {
	t.Helper()
	w, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	SetForgetting(w, f)
	w.Run()
	if n := Missed(w); n != 0 {
		t.Fatalf("seed %d: %d attribution questions about forgotten records (%s)", cfg.Seed, n, describe(cfg))
	}
	var b bytes.Buffer
	if err := trace.WriteAll(&b, w.Trace()); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// Forgetting attribution records never changes a trace: random
// configurations, the fault-heavy minute with each strategy and the
// transcripts give the same bytes whether the World keeps every record,
// trims as usual, or trims at every chance, and no question ever finds its
// answer forgotten. (The library at many seeds: scenarios/forget_test.go.)
func TestForgettingKeepsTraces(t *testing.T) {
	var cfgs []Config
	for seed := uint64(1); seed <= 300; seed++ {
		cfgs = append(cfgs, randomConfig(seed))
	}
	for _, s := range []string{"", "delimited", "libvirt", "none", "proxmox", "python-qga"} {
		for seed := uint64(1); seed <= 3; seed++ {
			cfg := heavyConfig(seed, s)
			cfg.Duration = 20 * time.Second
			cfgs = append(cfgs, cfg)
		}
	}
	for _, tc := range transcripts {
		cfgs = append(cfgs, withClient(tc.cfg))
	}
	for i, cfg := range cfgs {
		all := traceWith(t, cfg, ForgetNothing)
		for _, f := range []Forgetting{ForgetAsUsual, ForgetEagerly} {
			if got := traceWith(t, cfg, f); !bytes.Equal(all, got) {
				t.Fatalf("config %d (%s) forgetting %d: trace differs from the one that keeps everything\n%s",
					i, describe(cfg), f, firstDiff(all, got))
			}
		}
	}
}

func firstDiff(a, b []byte) string {
	la, lb := bytes.Split(a, []byte("\n")), bytes.Split(b, []byte("\n"))
	for i := range min(len(la), len(lb)) {
		if !bytes.Equal(la[i], lb[i]) {
			return fmt.Sprintf("line %d:\n  %s\n  %s", i+1, la[i], lb[i])
		}
	}
	return fmt.Sprintf("%d lines against %d", len(la), len(lb))
}

func withClient(cfg Config) Config {
	if cfg.Client.Strategy == "" {
		cfg.Client = lineSpec
	}
	return cfg
}
