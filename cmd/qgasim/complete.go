package main

import (
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
)

// completeScenario completes a scenario argument: the *.yaml files and the
// directories under the word typed so far.
func completeScenario(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	files, dirs := scenarioFiles(toComplete)
	directive := cobra.ShellCompDirectiveNoFileComp
	if dirs {
		// A directory is completed with its slash and no space, so that
		// the next tab goes into it.
		directive |= cobra.ShellCompDirectiveNoSpace
	}
	return files, directive
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
