package scenarios

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// Every file of the library has a summary in the catalogue, and every
// line of the catalogue names a file: a new scenario gets its one line.
func TestCatalogueNamesEveryFile(t *testing.T) {
	files, err := filepath.Glob("*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	inCatalogue := map[string]bool{}
	for _, c := range catalogue {
		inCatalogue[c.name+".yaml"] = true
		if _, err := os.Stat(c.name + ".yaml"); err != nil {
			t.Errorf("the catalogue names %s, which is not in the library", c.name)
		}
		if c.summary == "" || strings.Contains(c.summary, "\n") {
			t.Errorf("%s: the summary must be one line: %q", c.name, c.summary)
		}
	}
	for _, f := range files {
		if !inCatalogue[f] {
			t.Errorf("%s has no line in the catalogue (scenarios/library.go)", f)
		}
	}
	lib := Library()
	if len(lib) != len(files) {
		t.Errorf("Library() has %d entries, the directory %d files", len(lib), len(files))
	}
	for _, e := range lib {
		sc, err := Parse(e.File, mustLibraryFile(t, e.Name))
		if err != nil {
			t.Errorf("%s: %v", e.Name, err)
			continue
		}
		if sc.Name != e.Name {
			t.Errorf("%s: the scenario's name is %q: a library file is named after its scenario", e.File, sc.Name)
		}
	}
}

func mustLibraryFile(t *testing.T, name string) []byte {
	t.Helper()
	e, data, ok := LibraryFile(name)
	if !ok {
		t.Fatalf("LibraryFile(%q): not found", name)
	}
	disk, err := os.ReadFile(e.File)
	if err != nil || string(disk) != string(data) {
		t.Fatalf("%s: the embedded bytes differ from the file (%v)", e.File, err)
	}
	return data
}

func TestLibraryFileNames(t *testing.T) {
	for _, name := range []string{"stale-reply-virtio", "stale-reply-virtio.yaml"} {
		if e, data, ok := LibraryFile(name); !ok || e.Name != "stale-reply-virtio" || len(data) == 0 {
			t.Errorf("LibraryFile(%q) = %v, %d bytes, %v", name, e, len(data), ok)
		}
	}
	for _, name := range []string{"", "stale", "../scenarios/stale-reply-virtio", "testdata"} {
		if _, _, ok := LibraryFile(name); ok {
			t.Errorf("LibraryFile(%q) found something", name)
		}
	}
}

// The README's table of the library is the catalogue, line for line.
func TestREADMETableIsTheCatalogue(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	row := regexp.MustCompile("^\\| `([a-z0-9-]+)` \\| (.*) \\|$")
	var got []string
	for _, line := range strings.Split(string(readme), "\n") {
		if m := row.FindStringSubmatch(line); m != nil {
			if _, _, ok := LibraryFile(m[1]); ok {
				got = append(got, m[1]+" | "+m[2])
			}
		}
	}
	var want []string
	for _, e := range Library() {
		want = append(want, e.Name+" | "+e.Summary)
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("README's library table differs from the catalogue (scenarios/library.go)\n--- README\n%s\n--- catalogue\n%s",
			strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestFirstSentence(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"version: 1\ndescription: |\n  One thing. Another.\nseed: 1\n", "One thing"},
		{"version: 1\ndescription: |\n  A long first\n  sentence, wrapped.\n\nseed: 1\n", "A long first sentence, wrapped"},
		{"version: 1\nname: x\n", ""},
	} {
		if got := firstSentence([]byte(c.in)); got != c.want {
			t.Errorf("%q: %q, want %q", c.in, got, c.want)
		}
	}
}
