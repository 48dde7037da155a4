package main

import (
	"bytes"
	"testing"
	"time"
)

// TestStrategySwitchKeepsOptions: --strategy changes the name only; the
// file's client options stay in the configuration the World (or the TUI)
// gets, and the scenario names the new strategy for reports and saves.
func TestStrategySwitchKeepsOptions(t *testing.T) {
	var stderr bytes.Buffer
	_, sc, cfg, ok := loadScenario("stale-reply-virtio", nil, &stderr, (&strategyFlag{name: "delimited"}).edits()...)
	if !ok {
		t.Fatalf("load: %s", stderr.String())
	}
	if cfg.Client.Strategy != "delimited" || sc.Client.Strategy != "delimited" {
		t.Fatalf("strategy: config %q, scenario %q", cfg.Client.Strategy, sc.Client.Strategy)
	}
	if cfg.Client.Options.Timeout != 5*time.Second {
		t.Fatalf("the file's timeout was lost: %v", cfg.Client.Options.Timeout)
	}
	_, _, cfg, _ = loadScenario("stale-reply-virtio", nil, &stderr, (&strategyFlag{}).edits()...)
	if cfg.Client.Strategy != "none" {
		t.Fatalf("no --strategy: %q, want the file's none", cfg.Client.Strategy)
	}
}
