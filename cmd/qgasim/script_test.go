package main

import (
	"os"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestMain lets the test binary act as the qgasim command inside scripts.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"qgasim":           func() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) },
		"qgasim-tui-panic": func() { os.Exit(panickyTUI()) },
		"qgasim-client":    func() { os.Exit(liveClient(os.Args[1:])) },
	})
}

// TestScripts runs the command-line transcripts in testdata/script: exit
// codes, report text, error messages.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir: "testdata/script",
		Setup: func(env *testscript.Env) error {
			// The library, so that scripts can run real scenarios.
			env.Setenv("LIBRARY", mustAbs("../../scenarios"))
			return nil
		},
	})
}

func mustAbs(p string) string {
	wd, err := os.Getwd()
	if err != nil {
		panic(err)
	}
	return wd + "/" + p
}
