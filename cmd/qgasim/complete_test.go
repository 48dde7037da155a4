package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// bashCompletion is Debian's bash-completion, which cobra's bash script
// needs (for _get_comp_words_by_ref), as an interactive shell has it.
const bashCompletion = "/usr/share/bash-completion/bash_completion"

// The bash completion script, sourced into a real bash with
// bash-completion, completes a library name after "qgasim run": the whole
// path from the script through "qgasim __complete" and back.
func TestBashCompletesLibraryNames(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err == nil {
		_, err = os.Stat(bashCompletion)
	}
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("bash with bash-completion is needed: %v", err)
		}
		t.Skipf("bash with bash-completion is needed (apt-get install bash-completion): %v", err)
	}
	// A directory with "qgasim" (this test binary under that name) on PATH.
	bin := t.TempDir()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(self, filepath.Join(bin, "qgasim")); err != nil {
		t.Fatal(err)
	}
	script := filepath.Join(t.TempDir(), "qgasim.bash")
	cmd := exec.Command(filepath.Join(bin, "qgasim"), "completion", "bash")
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(script, out, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		line string
		want []string
	}{
		{"qgasim run stale", []string{"stale-reply-virtio"}},
		{"qgasim tui why-0x", []string{"why-0xff-first"}},
		{"qgasim show libvirt-hidden", []string{"libvirt-hidden-restart", "libvirt-hidden-restart-keeps-poison"}},
		{"qgasim li", []string{"list"}},
	} {
		words := strings.Fields(c.line)
		sh := `source "$1"; source "$2"
COMP_LINE="$3"; COMP_POINT=${#COMP_LINE}; read -ra COMP_WORDS <<< "$COMP_LINE"; COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
__start_qgasim qgasim "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}" 2>/dev/null
printf '%s\n' "${COMPREPLY[@]}"`
		cmd := exec.Command(bash, "-c", sh, "bash", bashCompletion, script, c.line)
		cmd.Env = append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"))
		cmd.Dir = t.TempDir()
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%q (%d words): %v\n%s", c.line, len(words), err, out)
		}
		got := strings.Fields(string(out))
		if strings.Join(got, " ") != strings.Join(c.want, " ") {
			t.Errorf("%q completes to %q, want %q", c.line, got, c.want)
		}
	}
}
