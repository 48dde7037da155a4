package main

import (
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/qgasim/qgasim/scenarios"
)

// completeScenario completes a scenario argument: the library's names,
// and the *.yaml files and the directories under the word typed so far.
func completeScenario(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	names, _ := completeLibraryName(cmd, args, toComplete)
	files, dirs := scenarioFiles(toComplete)
	files = append(names, files...)
	directive := cobra.ShellCompDirectiveNoFileComp
	if dirs {
		// A directory is completed with its slash and no space, so that
		// the next tab goes into it.
		directive |= cobra.ShellCompDirectiveNoSpace
	}
	return files, directive
}

// completeLibraryName completes a library scenario's name, with its summary
// as the description that zsh and fish show beside it.
func completeLibraryName(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	var out []cobra.Completion
	for _, e := range scenarios.Library() {
		if strings.HasPrefix(e.Name, toComplete) {
			out = append(out, cobra.CompletionWithDesc(e.Name, e.Summary))
		}
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}

// scenarioFiles lists the *.yaml and *.yml files and the directories whose
// path starts with prefix; dirs tells whether any directory is among them.
func scenarioFiles(prefix string) (out []string, dirs bool) {
	dir, base := filepath.Split(prefix)
	entries, err := os.ReadDir(orDot(dir))
	if err != nil {
		return nil, false
	}
	for _, e := range entries {
		name := e.Name()
		if !strings.HasPrefix(name, base) || (strings.HasPrefix(name, ".") && !strings.HasPrefix(base, ".")) {
			continue
		}
		isDir := e.IsDir()
		if e.Type()&os.ModeSymlink != 0 {
			if fi, err := os.Stat(filepath.Join(orDot(dir), name)); err == nil {
				isDir = fi.IsDir()
			}
		}
		switch {
		case isDir:
			out = append(out, dir+name+"/")
			dirs = true
		case strings.HasSuffix(name, ".yaml") || strings.HasSuffix(name, ".yml"):
			out = append(out, dir+name)
		}
	}
	return out, dirs
}

func orDot(dir string) string {
	if dir == "" {
		return "."
	}
	return dir
}
