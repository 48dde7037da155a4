package doccheck

import (
	"bufio"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

// root is the repository's top directory.
const root = "../.."

// markdownFiles lists the repository's Markdown files, relative to root.
func markdownFiles(t *testing.T) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(path, ".md") {
			rel, _ := filepath.Rel(root, path)
			out = append(out, rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out) < 5 {
		t.Fatalf("found only %v: is root right?", out)
	}
	return out
}

// prose is a Markdown file's lines outside fenced code blocks, with inline
// code spans kept apart: links are read from the text, mentions of files
// from both.
type line struct {
	n          int
	text, code string // text without code spans; the code spans
}

var codeSpan = regexp.MustCompile("`[^`]*`")

func prose(t *testing.T, path string) []line {
	t.Helper()
	f, err := os.Open(filepath.Join(root, path))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []line
	fenced := false
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for n := 1; sc.Scan(); n++ {
		s := sc.Text()
		if strings.HasPrefix(strings.TrimSpace(s), "```") {
			fenced = !fenced
			continue
		}
		if fenced {
			continue
		}
		out = append(out, line{n: n, text: codeSpan.ReplaceAllString(s, "``"), code: strings.Join(codeSpan.FindAllString(s, -1), " ")})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

var (
	inlineLink = regexp.MustCompile(`!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)`)
	refLink    = regexp.MustCompile(`^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)`)
	mdMention  = regexp.MustCompile(`[A-Za-z0-9_./-]*[A-Za-z0-9_-]\.md\b`)
)

func links(l line) []string {
	var out []string
	for _, m := range inlineLink.FindAllStringSubmatch(l.text, -1) {
		out = append(out, m[1])
	}
	if m := refLink.FindStringSubmatch(l.text); m != nil {
		out = append(out, m[1])
	}
	return out
}

func external(target string) bool {
	u, err := url.Parse(target)
	return err == nil && u.Scheme != ""
}

// Every relative link names a file in the repository, and a heading of it
// for a #fragment.
func TestRelativeLinksResolve(t *testing.T) {
	for _, md := range markdownFiles(t) {
		for _, l := range prose(t, md) {
			for _, target := range links(l) {
				if external(target) {
					continue
				}
				if problem := checkTarget(md, target); problem != "" {
					t.Errorf("%s:%d: link %q: %s", md, l.n, target, problem)
				}
			}
		}
	}
}

// checkTarget returns what is wrong with a relative link from md, or "".
func checkTarget(md, target string) string {
	path, frag, _ := strings.Cut(target, "#")
	path, err := url.PathUnescape(path)
	if err != nil {
		return "not a valid path"
	}
	file := md // a link to "#heading" is to the same file
	if path != "" {
		if filepath.IsAbs(path) {
			return "an absolute path: link relative to this file"
		}
		file = filepath.Clean(filepath.Join(filepath.Dir(md), path))
		if file == ".." || strings.HasPrefix(file, "../") {
			return "leads outside the repository"
		}
		fi, err := os.Stat(filepath.Join(root, file))
		if err != nil {
			return "no such file in the repository"
		}
		if fi.IsDir() || frag == "" {
			return ""
		}
	}
	if frag != "" && strings.HasSuffix(file, ".md") && !hasHeading(file, frag) {
		return "no heading #" + frag + " in " + file
	}
	return ""
}

// hasHeading tells whether a Markdown file has a heading whose anchor, as
// GitHub makes it, is frag.
func hasHeading(file, frag string) bool {
	data, err := os.ReadFile(filepath.Join(root, file))
	if err != nil {
		return false
	}
	seen := map[string]int{}
	for _, s := range strings.Split(string(data), "\n") {
		if !strings.HasPrefix(s, "#") {
			continue
		}
		a := anchor(strings.TrimLeft(s, "#"))
		n := seen[a]
		seen[a]++
		if n > 0 {
			a += "-" + strconv.Itoa(n)
		}
		if a == frag {
			return true
		}
	}
	return false
}

// anchor is GitHub's anchor for a heading: lower case, letters, digits,
// spaces as hyphens, hyphens and underscores kept, the rest dropped.
func anchor(heading string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(strings.TrimSpace(heading)) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '_':
			b.WriteRune(r)
		case r == ' ':
			b.WriteByte('-')
		}
	}
	return b.String()
}

// A Markdown file named in the text (linked or not, in code or not) is in
// the repository: the docs do not send a reader to pages they cannot have.
func TestMentionedPagesExist(t *testing.T) {
	files := markdownFiles(t)
	base := map[string]bool{}
	for _, f := range files {
		base[filepath.Base(f)] = true
	}
	for _, md := range files {
		for _, l := range prose(t, md) {
			for _, m := range mdMention.FindAllString(l.text+" "+l.code, -1) {
				if strings.Contains(m, "://") || strings.ContainsAny(m, "*") || strings.Contains(m, "NAME") {
					continue
				}
				rel := filepath.Clean(filepath.Join(filepath.Dir(md), m))
				if _, err := os.Stat(filepath.Join(root, rel)); err == nil {
					continue
				}
				if _, err := os.Stat(filepath.Join(root, m)); err == nil {
					continue
				}
				if !strings.Contains(m, "/") && base[m] {
					continue
				}
				t.Errorf("%s:%d: names %s, which is not in the repository", md, l.n, m)
			}
		}
	}
}

// Every page of docs/ is linked from the README.
func TestREADMELinksEveryDoc(t *testing.T) {
	readme := prose(t, "README.md")
	linked := map[string]bool{}
	for _, l := range readme {
		for _, target := range links(l) {
			path, _, _ := strings.Cut(target, "#")
			linked[filepath.Clean(path)] = true
		}
	}
	docs, err := filepath.Glob(filepath.Join(root, "docs", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range docs {
		rel, _ := filepath.Rel(root, d)
		if !linked[rel] {
			t.Errorf("README.md does not link %s", rel)
		}
	}
}

// The checks themselves: a dangling link, a link out of the repository,
// a missing heading, and a page that does not exist are caught.
func TestCheckerCatches(t *testing.T) {
	for _, c := range []struct{ md, target string }{
		{"README.md", "docs/nothere.md"},
		{"docs/lab.md", "../../shared/docs/transport-lab.md"},
		{"docs/lab.md", "../README.md#no-such-heading"},
		{"README.md", "/etc/passwd"},
	} {
		if checkTarget(c.md, c.target) == "" {
			t.Errorf("%s -> %s passes", c.md, c.target)
		}
	}
	for _, c := range []struct{ md, target string }{
		{"README.md", "docs/lab.md"},
		{"docs/report-format.md", "trace-format.md"},
		{"docs/scenario-format.md", "faults.md"},
	} {
		if p := checkTarget(c.md, c.target); p != "" {
			t.Errorf("%s -> %s: %s", c.md, c.target, p)
		}
	}
	if got := anchor("The JSON report: `--json`, format 1"); got != "the-json-report---json-format-1" {
		t.Errorf("anchor = %q", got)
	}
	l := line{text: "see [the lab](lab.md#h1) and [x][y]", code: "`transport-lab.md`"}
	if got := links(l); len(got) != 1 || got[0] != "lab.md#h1" {
		t.Errorf("links = %q", got)
	}
	if got := mdMention.FindAllString(l.text+" "+l.code, -1); len(got) != 2 || got[1] != "transport-lab.md" {
		t.Errorf("mentions = %q", got)
	}
}

// citedPage tells whether a mention of a Markdown file outside the docs
// (in code, a scenario, test data) is a citation to check: names of one or
// two letters (`c.md` is a Go field, `r.md` a test's output file) and
// placeholders in capitals (`FILE.md`) are not.
func citedPage(m string) bool {
	if strings.Contains(m, "://") || strings.ContainsAny(m, "*") {
		return false
	}
	name := strings.TrimSuffix(filepath.Base(m), ".md")
	return len(name) > 2 && name != strings.ToUpper(name)
}

// resolves tells whether a page mentioned in file (relative to root) is in
// the repository: as a path from the file's directory or from the top, or as
// the bare name of one of the repository's pages.
func resolves(file, m string, base map[string]bool) bool {
	for _, p := range []string{filepath.Join(filepath.Dir(file), m), m} {
		if _, err := os.Stat(filepath.Join(root, p)); err == nil {
			return true
		}
	}
	return !strings.Contains(m, "/") && base[m]
}

// Code comments, scenario descriptions (shown to users by qgasim show and
// the TUI) and test data cite pages of the repository only: a citation of a
// document a user of the repository does not have fails.
func TestCitedPagesExist(t *testing.T) {
	base := map[string]bool{}
	for _, f := range markdownFiles(t) {
		base[filepath.Base(f)] = true
	}
	self := filepath.Join("internal", "doccheck")
	checked := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		if d.IsDir() {
			if d.Name() == ".git" || rel == self {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(path, ".md") || !d.Type().IsRegular() {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if bytesContainNUL(data) {
			return nil // binary
		}
		checked++
		for n, s := range strings.Split(string(data), "\n") {
			for _, m := range mdMention.FindAllString(s, -1) {
				if citedPage(m) && !resolves(rel, m, base) {
					t.Errorf("%s:%d: cites %s, which is not in the repository", rel, n+1, m)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 50 {
		t.Fatalf("checked only %d files: is root right?", checked)
	}
}

func bytesContainNUL(b []byte) bool {
	for _, c := range b {
		if c == 0 {
			return true
		}
	}
	return false
}

// The citation check itself: a page outside the repository is caught, the
// repository's pages pass however they are named, output files and
// placeholders are not citations.
func TestCitationCheckerCatches(t *testing.T) {
	base := map[string]bool{"lab.md": true, "README.md": true}
	for _, c := range []struct {
		file, m string
		ok      bool
	}{
		{"sim/link/doc.go", "transport-lab.md", false},
		{"scenarios/x.yaml", "docs/libvirt-lab.md", false},
		{"sim/link/doc.go", "docs/lab.md", true},
		{"sim/link/doc.go", "lab.md", true},
		{"cmd/qgasim/run.go", "README.md", true},
	} {
		if got := citedPage(c.m) && !resolves(c.file, c.m, base); got == c.ok {
			t.Errorf("%s citing %s: flagged %v", c.file, c.m, got)
		}
	}
	for _, m := range []string{"r.md", "c.md", "FILE.md", "https://x.org/a.md"} {
		if citedPage(m) {
			t.Errorf("%s taken for a citation", m)
		}
	}
}
