package headless

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func page(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "page.html")
	if err := os.WriteFile(p, []byte("<!DOCTYPE html><html><head><meta charset=utf-8></head><body>"+body+"</body></html>"), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// The checks the browser tests rely on can fail: an exception and a
// console message are seen, a script that did not run leaves no marker, a
// blank page is blank.
func TestDetects(t *testing.T) {
	browser := Require(t)
	bad := page(t, `<p>hi</p><script>console.error("boom"); undefinedFunction(); document.documentElement.setAttribute("data-ready","1")</script>`)
	res, err := Run(browser, Options{File: bad})
	if err != nil {
		t.Fatal(err)
	}
	joined := strings.Join(res.Console, "\n")
	if !strings.Contains(joined, "boom") || !strings.Contains(joined, "Uncaught ReferenceError") {
		t.Errorf("console %q: the error and the exception are not both seen\n%s", res.Console, res.Log)
	}
	if strings.Contains(res.DOM, `data-ready="1"`) {
		t.Error("the marker is set though the script threw before it")
	}
	syntax := page(t, `<script>document.documentElement.setAttribute("data-ready","1"); if (</script>`)
	res, err = Run(browser, Options{File: syntax})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(res.DOM, `data-ready="1"`) || len(res.Console) == 0 {
		t.Errorf("a syntax error: marker set %v, console %q", strings.Contains(res.DOM, `data-ready="1"`), res.Console)
	}
	good := page(t, `<p style="font-size:40px;color:#c00">Hello</p><script>document.documentElement.setAttribute("data-ready","1")</script>`)
	res, err = Run(browser, Options{File: good})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(res.DOM, `data-ready="1"`) || len(res.Console) != 0 {
		t.Errorf("a good page: dom %q, console %q", res.DOM, res.Console)
	}
	shot, err := Run(browser, Options{File: good, Screenshot: true, Width: 400, Height: 300})
	if err != nil {
		t.Fatal(err)
	}
	pic, err := Decode(shot.PNG)
	if err != nil {
		t.Fatal(err)
	}
	if pic.Width != 400 || pic.Height != 300 || pic.Ink < 0.005 || pic.Near(0xcc0000, 40) < 20 {
		t.Errorf("a page with red text: %dx%d, ink %.4f, red %d", pic.Width, pic.Height, pic.Ink, pic.Near(0xcc0000, 40))
	}
	blank, err := Run(browser, Options{File: page(t, ""), Screenshot: true, Width: 400, Height: 300})
	if err != nil {
		t.Fatal(err)
	}
	if pic, err := Decode(blank.PNG); err != nil || pic.Ink != 0 || pic.Colours != 1 {
		t.Errorf("a blank page: %+v %v", pic, err)
	}
}
