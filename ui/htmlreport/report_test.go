package htmlreport

import (
	"bytes"
	"encoding/json"
	"flag"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/qgasim/qgasim/internal/golden"
	"github.com/qgasim/qgasim/internal/scenariotest"
	"github.com/qgasim/qgasim/scenarios"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// The structure of a report (its elements, ids and classes, repeated
// siblings shown once) is kept as a golden file: what a reader finds where,
// without the bytes, so that a change of style or wording does not churn it.
func TestOutlineGolden(t *testing.T) {
	doc := parse(t, render(t, "stale-reply-virtio"))
	got := outline(doc)
	path := filepath.Join("testdata", "stale-reply-virtio.outline")
	want, ok, err := golden.Check(path, got, *update)
	if err != nil {
		t.Fatal(err)
	}
	if !ok {
		t.Errorf("%s differs (run with -update to accept):\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

// Every library scenario's report is one file that loads nothing: no
// script, style, font, image or frame from elsewhere; its byte stories match
// its byte cells one to one; it names the seed and the command.
func TestLibraryReportsSelfContained(t *testing.T) {
	for _, name := range scenariotest.LibraryNames() {
		t.Run(name, func(t *testing.T) {
			out := render(t, name)
			checkSelfContained(t, out)
			doc := parse(t, out)
			var stories map[string]json.RawMessage
			if err := json.Unmarshal([]byte(text(find(doc, "script", "id", "stories"))), &stories); err != nil {
				t.Fatalf("stories: %v", err)
			}
			var lines []string
			if err := json.Unmarshal(stories["lines"], &lines); err != nil {
				t.Fatal(err)
			}
			for _, dir := range []string{"h2a", "a2h"} {
				var per [][]int
				if err := json.Unmarshal(stories[dir], &per); err != nil {
					t.Fatal(err)
				}
				pane := find(doc, "div", "data-dir", dir)
				cells := count(pane, "i")
				if cells != len(per) {
					t.Errorf("%s: %d byte cells, %d stories", dir, cells, len(per))
				}
				for k, ids := range per {
					if len(ids) < 2 {
						t.Errorf("%s byte %d: a story of %d lines", dir, k, len(ids))
					}
					for _, id := range ids {
						if id < 0 || id >= len(lines) {
							t.Fatalf("%s byte %d: line %d of %d", dir, k, id, len(lines))
						}
					}
				}
			}
			if !bytes.Contains(out, []byte("qgasim run "+name+" --seed 1")) {
				t.Error("the command that reproduces the run is missing")
			}
			if rows := count(find(doc, "svg", "class", "ladder"), "g"); rows == 0 {
				t.Error("no ladder rows")
			}
		})
	}
}

// checkSelfContained fails on anything a browser would fetch.
func checkSelfContained(t *testing.T, out []byte) {
	t.Helper()
	z := html.NewTokenizer(bytes.NewReader(out))
	scripts := 0
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		tok := z.Token()
		switch tok.Data {
		case "link", "img", "iframe", "object", "embed", "audio", "video", "source", "base", "image", "use":
			t.Errorf("a <%s> element: the report must load nothing", tok.Data)
		case "script":
			scripts++
		}
		for _, a := range tok.Attr {
			switch {
			case a.Key == "src", a.Key == "srcset", a.Key == "xlink:href", a.Key == "href" && tok.Data != "a":
				t.Errorf("<%s %s=%q>: the report must load nothing", tok.Data, a.Key, a.Val)
			case a.Key == "href" && !strings.HasPrefix(a.Val, "#") && !strings.HasPrefix(a.Val, "https://") && !strings.HasPrefix(a.Val, "http://"):
				t.Errorf("<a href=%q>: a link must be to this page or to the web", a.Val)
			case strings.HasPrefix(a.Key, "on"):
				t.Errorf("<%s %s>: inline handlers are not used", tok.Data, a.Key)
			}
		}
	}
	if scripts != 2 {
		t.Errorf("%d scripts, want 2 (the stories' data and the inline script)", scripts)
	}
	for _, bad := range []string{"@import", "@font-face"} {
		if bytes.Contains(out, []byte(bad)) {
			t.Errorf("the report contains %q", bad)
		}
	}
	// url() only for the ladder's own arrowheads, in this document.
	if n, local := bytes.Count(out, []byte("url(")), bytes.Count(out, []byte("url(#")); n != local {
		t.Errorf("%d url() references outside the document", n-local)
	}
}

// Text from a scenario is escaped wherever it goes: description, notes,
// raw step bytes, fault names.
func TestEscaping(t *testing.T) {
	const evil = `<script>alert(1)</script><img src=x onerror=alert(2)>`
	src := "version: 1\nname: evil\ndescription: |\n  " + evil + " https://example.org/a?b=<x>\nseed: 1\nduration: 5s\n" +
		"transport: virtio-serial\nclient: {strategy: none}\nsteps:\n  - raw: '" + evil + "'\n    note: '" + evil + "'\n  - send: guest-ping\n"
	sc, err := scenarios.Parse("evil.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	run := scenariotest.Execute(t, sc)
	var b bytes.Buffer
	if err := Write(&b, Input{Scenario: sc, Run: run, Command: "qgasim run evil.yaml; rm -rf / <x>"}); err != nil {
		t.Fatal(err)
	}
	checkSelfContained(t, b.Bytes())
	if n := strings.Count(b.String(), "<script"); n != 2 {
		t.Errorf("%d <script tags, want our 2: the scenario's text got through unescaped", n)
	}
	if strings.Contains(b.String(), "<img") || strings.Contains(b.String(), "<x>") {
		t.Error("markup from the scenario got through")
	}
}

// The same run gives the same report, byte for byte.
func TestDeterministic(t *testing.T) {
	a, b := render(t, "why-0xff-first"), render(t, "why-0xff-first")
	if !bytes.Equal(a, b) {
		t.Error("two reports of one run differ")
	}
}

func parse(t *testing.T, b []byte) *html.Node {
	t.Helper()
	doc, err := html.Parse(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// outline is the element tree with ids and classes, one element a line;
// consecutive siblings alike (tag, id, classes) are shown once, and the
// insides of the ladder and of a byte pane's cells are left out (the
// ladder has its own tests; the cells depend on the bytes).
func outline(n *html.Node) string {
	var b strings.Builder
	var walk func(n *html.Node, depth int) string
	walk = func(n *html.Node, depth int) string {
		var s strings.Builder
		if n.Type == html.ElementNode {
			s.WriteString(strings.Repeat("  ", depth) + sig(n) + "\n")
			depth++
			if n.Data == "svg" || hasClass(n, "cells") || n.Data == "script" || n.Data == "style" {
				return s.String()
			}
		}
		prev := ""
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			if sig(c) == prev {
				continue // a repeat: the first stands for them all
			}
			prev = sig(c)
			s.WriteString(walk(c, depth))
		}
		return s.String()
	}
	b.WriteString(walk(n, 0))
	return b.String()
}

func sig(n *html.Node) string {
	s := n.Data
	var classes []string
	for _, a := range n.Attr {
		switch a.Key {
		case "id":
			s += "#" + a.Val
		case "class":
			classes = strings.Fields(a.Val)
		case "type", "data-dir":
			s += "[" + a.Key + "=" + a.Val + "]"
		}
	}
	sort.Strings(classes)
	for _, c := range classes {
		s += "." + c
	}
	return s
}

func hasClass(n *html.Node, c string) bool {
	for _, a := range n.Attr {
		if a.Key == "class" {
			for _, f := range strings.Fields(a.Val) {
				if f == c {
					return true
				}
			}
		}
	}
	return false
}

func find(n *html.Node, tag, key, val string) *html.Node {
	if n.Type == html.ElementNode && n.Data == tag {
		for _, a := range n.Attr {
			if a.Key == key && (a.Val == val || (key == "class" && hasClass(n, val))) {
				return n
			}
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if f := find(c, tag, key, val); f != nil {
			return f
		}
	}
	return nil
}

func count(n *html.Node, tag string) int {
	if n == nil {
		return 0
	}
	k := 0
	if n.Type == html.ElementNode && n.Data == tag {
		k++
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		k += count(c, tag)
	}
	return k
}

func text(n *html.Node) string {
	if n == nil {
		return ""
	}
	var b strings.Builder
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.TextNode {
			b.WriteString(c.Data)
		}
	}
	return b.String()
}
