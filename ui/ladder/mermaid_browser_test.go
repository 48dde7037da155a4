package ladder

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/qgasim/qgasim/internal/headless"
	"github.com/qgasim/qgasim/internal/scenariotest"
)

// mermaidJS finds Mermaid's browser bundle (mermaid.min.js from the npm
// package): $QGASIM_MERMAID_JS. Without it the test is skipped, unless
// CI=true (.ci/run fetches it with npm).
func mermaidJS(t *testing.T) string {
	t.Helper()
	p := os.Getenv("QGASIM_MERMAID_JS")
	if p == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("QGASIM_MERMAID_JS is not set (CI=true: Mermaid's own parser must check the diagrams; .ci/run sets it)")
		}
		t.Skip("QGASIM_MERMAID_JS is not set: skipping the check with Mermaid's own parser (npm pack mermaid; point it at package/dist/mermaid.min.js)")
	}
	if _, err := os.Stat(p); err != nil {
		t.Fatal(err)
	}
	abs, err := filepath.Abs(p)
	if err != nil {
		t.Fatal(err)
	}
	return abs
}

// Every library scenario's diagram parses and renders with Mermaid itself,
// in a real browser; and a diagram with a raw semicolon, which Mermaid
// rejects, is seen to fail, so that the check can fail.
func TestMermaidRealParser(t *testing.T) {
	js := mermaidJS(t)
	browser := headless.Require(t)
	diagrams := map[string]string{"bad-on-purpose": "sequenceDiagram\n    H->>A: a; b c\n"}
	for _, name := range scenariotest.LibraryNames() {
		l, _ := library(t, name)
		var b bytes.Buffer
		if err := Mermaid(&b, l, MermaidOptions{}); err != nil {
			t.Fatal(err)
		}
		diagrams[name] = b.String()
	}
	data, err := json.Marshal(diagrams)
	if err != nil {
		t.Fatal(err)
	}
	page := `<!DOCTYPE html><html><head><meta charset="utf-8"></head><body><pre id="out"></pre>
<script src="file://` + js + `"></script>
<script type="application/json" id="diagrams">` + strings.ReplaceAll(string(data), "</", `<\/`) + `</script>
<script>
(async function () {
  mermaid.initialize({startOnLoad: false, securityLevel: "strict"});
  var ds = JSON.parse(document.getElementById("diagrams").textContent), out = [], i = 0;
  for (var name of Object.keys(ds).sort()) {
    i++;
    try {
      await mermaid.parse(ds[name]);
      var r = await mermaid.render("d" + i, ds[name]);
      out.push(name + "\tok\t" + r.svg.length);
    } catch (e) {
      out.push(name + "\terror\t" + String(e && e.message || e).split("\n").slice(0, 4).join(" | "));
    }
  }
  document.getElementById("out").textContent = out.join("\n");
  document.documentElement.setAttribute("data-done", "1");
})();
</script></body></html>`
	file := filepath.Join(t.TempDir(), "mermaid.html")
	if err := os.WriteFile(file, []byte(page), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := headless.Run(browser, headless.Options{File: file, Budget: 60e9})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(res.DOM, `data-done="1"`) {
		t.Fatalf("the Mermaid page did not finish\n%s", headless.Tail(res.Log))
	}
	i, j := strings.Index(res.DOM, `<pre id="out">`), strings.Index(res.DOM, "</pre>")
	seen := 0
	for _, ln := range strings.Split(res.DOM[i+len(`<pre id="out">`):j], "\n") {
		f := strings.SplitN(ln, "\t", 3)
		if len(f) != 3 {
			continue
		}
		seen++
		switch {
		case f[0] == "bad-on-purpose" && f[1] != "error":
			t.Errorf("Mermaid accepted a diagram with a raw semicolon: the check cannot fail")
		case f[0] != "bad-on-purpose" && f[1] != "ok":
			t.Errorf("%s: Mermaid says: %s\n%s", f[0], f[2], diagrams[f[0]])
		}
	}
	if seen != len(diagrams) {
		t.Errorf("%d results for %d diagrams", seen, len(diagrams))
	}
}
