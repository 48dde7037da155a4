package htmlreport

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/qgasim/qgasim/internal/headless"
)

// Colours the picture of stale-reply-virtio must show: the red of the
// misattribution and the timeout (alarm notes, the connector) and the
// green of a reply a caller accepted.
const (
	alarmRed    = 0xd0191b
	acceptGreen = 0x138a13
)

// The report in a real browser: the page's script runs to the end with no
// exception and the page writes nothing to the console; on a phone's width
// nothing is wider than the screen; screenshots at a phone's and a
// desktop's size are pictures, not blank pages, with the bug's colours on
// them. Set QGASIM_SHOTS=DIR to keep the screenshots.
func TestBrowser(t *testing.T) {
	browser := headless.Require(t)
	dir := t.TempDir()
	for _, name := range []string{"stale-reply-virtio", "why-0xff-first", "lab-illegal-seek"} {
		out := render(t, name)
		file := filepath.Join(dir, name+".html")
		if err := os.WriteFile(file, out, 0o644); err != nil {
			t.Fatal(err)
		}
		res, err := headless.Run(browser, headless.Options{File: file, Width: 390, Height: 844})
		if err != nil {
			t.Fatal(err)
		}
		if html := htmlTag(res.DOM); !strings.Contains(html, `data-ready="1"`) || strings.Contains(html, "data-error") {
			t.Errorf("%s: the report's script did not run to the end (ready marker missing)\n%.300s", name, res.DOM)
		}
		if len(res.Console) > 0 {
			t.Errorf("%s: console messages: %q", name, res.Console)
		}
	}
	// The screenshots of the bug, with the test's own probe after the
	// page's script: a page wider than its window (a phone's) gets a
	// magenta bar across its top, which the picture must not have.
	file := filepath.Join(dir, "report.html")
	if err := os.WriteFile(file, withWidthProbe(render(t, "stale-reply-virtio")), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, size := range []struct {
		name string
		w, h int
	}{{"phone", 390, 1900}, {"desktop", 1280, 1300}} {
		res, err := headless.Run(browser, headless.Options{File: file, Width: size.w, Height: size.h, Screenshot: true})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Console) > 0 {
			t.Errorf("%s: console messages: %q", size.name, res.Console)
		}
		pic, err := headless.Decode(res.PNG)
		if err != nil {
			t.Fatalf("%s: %v", size.name, err)
		}
		red, green := pic.Near(alarmRed, 24), pic.Near(acceptGreen, 24)
		t.Logf("%s: %dx%d PNG of %d bytes, %d colours, %.1f%% ink, %d red and %d green pixels",
			size.name, pic.Width, pic.Height, len(res.PNG), pic.Colours, 100*pic.Ink, red, green)
		if pic.Width != size.w || pic.Height != size.h {
			t.Errorf("%s: %dx%d, want %dx%d", size.name, pic.Width, pic.Height, size.w, size.h)
		}
		if pic.Colours < 32 || pic.Ink < 0.03 {
			t.Errorf("%s: looks blank: %d colours, %.2f%% of the pixels not background", size.name, pic.Colours, 100*pic.Ink)
		}
		if red < 100 || green < 30 {
			t.Errorf("%s: the bug's colours are missing: %d red, %d green pixels", size.name, red, green)
		}
		if n := pic.Near(probeMagenta, 8); n > 0 {
			t.Errorf("%s: the page is wider than the %d px window (%d probe pixels)", size.name, size.w, n)
		}
		if d := os.Getenv("QGASIM_SHOTS"); d != "" {
			if err := os.WriteFile(filepath.Join(d, fmt.Sprintf("stale-reply-virtio-%s.png", size.name)), res.PNG, 0o644); err != nil {
				t.Error(err)
			}
		}
	}
}

// The browser check sees a broken report: the same page with its script
// throwing is not marked ready and its console says why.
func TestBrowserSeesABrokenReport(t *testing.T) {
	browser := headless.Require(t)
	out := render(t, "stale-reply-virtio")
	broken := bytes.Replace(out, []byte(`var data = JSON.parse(`), []byte(`var data = JSON.parse("{" + `), 1)
	if bytes.Equal(broken, out) {
		t.Fatal("the report's script changed: this test no longer breaks it")
	}
	file := filepath.Join(t.TempDir(), "broken.html")
	if err := os.WriteFile(file, broken, 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := headless.Run(browser, headless.Options{File: file, Width: 390, Height: 844})
	if err != nil {
		t.Fatal(err)
	}
	html := htmlTag(res.DOM)
	if strings.Contains(html, `data-ready="1"`) || !strings.Contains(html, "data-error") || len(res.Console) == 0 {
		t.Errorf("a throwing script: <html> %q, console %q", html, res.Console)
	}
}

// The width probe sees a page wider than its window.
func TestWidthProbe(t *testing.T) {
	browser := headless.Require(t)
	wide := withWidthProbe([]byte(`<!DOCTYPE html><html><head><meta name="viewport" content="width=device-width"></head><body><div style="width:900px;height:20px;background:#eee"></div></body></html>`))
	file := filepath.Join(t.TempDir(), "wide.html")
	if err := os.WriteFile(file, wide, 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := headless.Run(browser, headless.Options{File: file, Width: 390, Height: 300, Screenshot: true})
	if err != nil {
		t.Fatal(err)
	}
	pic, err := headless.Decode(res.PNG)
	if err != nil {
		t.Fatal(err)
	}
	if pic.Near(probeMagenta, 8) < 1000 {
		t.Error("a page 900 px wide in a 390 px window shows no probe bar")
	}
}

// probeMagenta is the colour of the width probe's bar.
const probeMagenta = 0xff00ff

// withWidthProbe adds, after the page's own script, one that paints a
// magenta bar across the top when the page is wider than its window.
func withWidthProbe(page []byte) []byte {
	probe := `<script>if (document.documentElement.scrollWidth > window.innerWidth) {` +
		`var d = document.createElement("div"); d.style.cssText = "position:fixed;left:0;top:0;width:100%;height:40px;background:#ff00ff;z-index:99";` +
		`document.body.appendChild(d) }</script></body>`
	return bytes.Replace(page, []byte("</body>"), []byte(probe), 1)
}

// htmlTag is the <html> start tag of a dumped DOM, where the page's script
// leaves its marks.
func htmlTag(dom string) string {
	i := strings.Index(dom, "<html")
	if i < 0 {
		return ""
	}
	j := strings.Index(dom[i:], ">")
	if j < 0 {
		return ""
	}
	return dom[i : i+j+1]
}
