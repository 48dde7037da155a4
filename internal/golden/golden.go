// Package golden keeps expected test output in files under testdata: a test
// compares what it got with the file, and with -update (the test's own
// flag) rewrites the file instead. Used by the transcript and screen tests.
package golden

import (
	"fmt"
	"os"
	"path/filepath"
)

// Check compares got with the file at path. With update it writes got to
// the file (creating its directory) and reports a match. A missing file is
// an error that says how to create it.
func Check(path, got string, update bool) (want string, match bool, err error) {
	if update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return "", false, err
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			return "", false, err
		}
		return got, true, nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return "", false, fmt.Errorf("%w (run the test with -update to create it)", err)
	}
	return string(b), string(b) == got, nil
}
