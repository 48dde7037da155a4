package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/qgasim/qgasim/scenarios"
	"github.com/qgasim/qgasim/sim/client"
)

// strategyFlag is --strategy NAME: the client strategy a run uses instead
// of the scenario's. Only the name changes: the file's client options stay,
// and each strategy reads those that are its own (timeout and sync-timeout
// are everyone's; pid and vmid are proxmox's, max-line none's, sync-id
// qapi-rs's, flush-byte and sync-once delimited's).
type strategyFlag struct{ name string }

var _ pflag.Value = (*strategyFlag)(nil)

func (s *strategyFlag) String() string { return s.name }

func (s *strategyFlag) Set(v string) error {
	if err := (client.Spec{Strategy: v}).Validate(); err != nil {
		return fmt.Errorf("unknown strategy %q%s (valid: %s)", v, didYouMeanStrategy(v), strings.Join(client.Names(), ", "))
	}
	s.name = v
	return nil
}

func (s *strategyFlag) Type() string { return "NAME" }

// didYouMeanStrategy names the strategy an unknown name most likely means
// ("naive" is none), as "; did you mean none?", or "".
func didYouMeanStrategy(name string) string {
	if m := client.Meant(name); m != "" {
		return "; did you mean " + m + "?"
	}
	return ""
}

// edit switches a scenario's strategy to the flag's: the scenario says so
// too, so that reports and saved files name the strategy that ran. The
// steps' notes stay written for the file's strategy (notes-for), as the
// TUI's s keeps them, so that a note that may not hold says for whom it
// was written.
func (s *strategyFlag) edit(sc *scenarios.Scenario) {
	if sc.NotesFor == "" && s.name != sc.Client.Strategy {
		sc.NotesFor = sc.Client.Strategy
	}
	sc.Client.Strategy, sc.Client.Custom = s.name, nil
}

// edits are the edits of loadScenario for the flag: none when not given.
func (s *strategyFlag) edits() []func(*scenarios.Scenario) {
	if s.name == "" {
		return nil
	}
	return []func(*scenarios.Scenario){s.edit}
}

// addStrategyFlag adds --strategy to a command that runs one scenario.
func addStrategyFlag(cmd *cobra.Command) *strategyFlag {
	s := &strategyFlag{}
	cmd.Flags().Var(s, "strategy", "run with client strategy `NAME` instead of the file's ("+
		strings.Join(client.Names(), ", ")+"); the file's client options stay")
	_ = cmd.RegisterFlagCompletionFunc("strategy", completeStrategy)
	return s
}

// completeStrategy completes a strategy name.
func completeStrategy(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	var out []cobra.Completion
	for _, n := range client.Names() {
		if strings.HasPrefix(n, toComplete) {
			out = append(out, n)
		}
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}
