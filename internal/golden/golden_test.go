package golden

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestCheck(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "x.txt")
	if _, _, err := Check(path, "a", false); err == nil || !strings.Contains(err.Error(), "-update") {
		t.Fatalf("missing file: %v", err)
	}
	if _, match, err := Check(path, "a", true); err != nil || !match {
		t.Fatalf("update: %v %v", match, err)
	}
	if want, match, err := Check(path, "b", false); err != nil || match || want != "a" {
		t.Fatalf("changed: want %q match %v err %v", want, match, err)
	}
	if _, match, _ := Check(path, "a", false); !match {
		t.Fatal("same: no match")
	}
}
