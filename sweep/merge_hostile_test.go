package sweep

import (
	"strings"
	"testing"
)

// A line past the longest a sweep writes is named by file and line, and
// said to be too long, not "token too long".
func TestMergeSaysWhereALineIsTooLong(t *testing.T) {
	_, err := NewMerger([]Source{{Name: "s.jsonl", R: strings.NewReader(strings.Repeat("x", maxLine+1))}})
	if err == nil || !strings.Contains(err.Error(), "s.jsonl:1: a line longer than 16 MiB") {
		t.Errorf("got %v, want the file, line 1 and the length named", err)
	}
}
