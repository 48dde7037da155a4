// Package headless runs a page in a real browser, Chromium without a screen,
// for the tests of what qgasim shows in a browser (the HTML report, the
// Mermaid diagram): a screenshot as a PNG, the DOM after the page's scripts
// ran, and every message the page wrote to its console.
//
// The contract. Each Run starts a fresh Chromium with a new empty profile
// that is removed afterwards, no network (every host name resolves to
// nothing, and the background services that would phone home are off), and
// a deadline; it never leaves a process behind. Console messages are read
// from Chromium's log (--enable-logging=stderr), which reports each one,
// whatever its level, with an "INFO:CONSOLE" tag: a page that is meant to
// log nothing can be held to an empty list. Require finds the browser for a
// test, and with CI=true a missing browser fails the test instead of
// skipping it.
package headless

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Names tried, in order, when QGASIM_CHROMIUM does not name the browser.
var names = []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"}

// Find returns the path of a Chromium: $QGASIM_CHROMIUM, or the first of
// the usual names on PATH.
func Find() (string, error) {
	if p := os.Getenv("QGASIM_CHROMIUM"); p != "" {
		return exec.LookPath(p)
	}
	for _, n := range names {
		if p, err := exec.LookPath(n); err == nil {
			return p, nil
		}
	}
	return "", errors.New("no Chromium found (tried $QGASIM_CHROMIUM, " + strings.Join(names, ", ") + "); on Debian: apt-get install chromium")
}

// Require returns the browser for a test. Without one the test is skipped
// with a message, unless CI=true: then it fails, since a browser test that
// does not run checks nothing.
func Require(t testing.TB) string {
	t.Helper()
	p, err := Find()
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%v (CI=true: the browser test must run)", err)
		}
		t.Skipf("%v: skipping the browser test", err)
	}
	return p
}

// Options say what to do with a page.
type Options struct {
	// File is the page, a local HTML file.
	File string
	// Width and Height are the window's size in CSS pixels.
	Width, Height int
	// Screenshot asks for a PNG of the window; otherwise the DOM is dumped
	// after the page's scripts ran.
	Screenshot bool
	// Budget is the virtual time the page's scripts get before the DOM is
	// dumped (0: 5 s); timers and promises run within it.
	Budget time.Duration
	// Timeout bounds the whole run in wall time (0: 90 s).
	Timeout time.Duration
}

// Result is what a run gave.
type Result struct {
	PNG     []byte   // the screenshot, with Options.Screenshot
	DOM     string   // the serialised DOM, without it
	Console []string // every console message, in order: `"text", source: URL (line)`
	Log     string   // Chromium's whole log, for a failure's message
}

// consoleLine matches Chromium's log line for a console message.
var consoleLine = regexp.MustCompile(`:INFO:CONSOLE[^\]]*\] (.*)$`)

// Run opens the page in a fresh headless Chromium and returns what it saw.
func Run(browser string, o Options) (*Result, error) {
	if o.Width <= 0 || o.Height <= 0 {
		o.Width, o.Height = 1280, 900
	}
	if o.Budget <= 0 {
		o.Budget = 5 * time.Second
	}
	if o.Timeout <= 0 {
		o.Timeout = 90 * time.Second
	}
	abs, err := filepath.Abs(o.File)
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(abs); err != nil {
		return nil, err
	}
	profile, err := os.MkdirTemp("", "qgasim-chromium-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(profile)
	args := []string{
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--disable-default-apps", "--disable-extensions", "--no-default-browser-check", "--hide-scrollbars",
		"--user-data-dir=" + profile,
		"--enable-logging=stderr", "--v=0",
		// No network: a page that tries to load anything gets nothing.
		"--host-resolver-rules=MAP * ~NOTFOUND",
		fmt.Sprintf("--window-size=%d,%d", o.Width, o.Height),
	}
	png := filepath.Join(profile, "shot.png")
	if o.Screenshot {
		args = append(args, "--screenshot="+png)
	} else {
		args = append(args, fmt.Sprintf("--virtual-time-budget=%d", o.Budget.Milliseconds()), "--dump-dom")
	}
	args = append(args, "file://"+abs)
	ctx, cancel := context.WithTimeout(context.Background(), o.Timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, browser, args...)
	// Chromium starts helper processes: put them in a group of their own
	// and end the group, so that nothing outlives the run.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 5 * time.Second
	cmd.Env = append(os.Environ(), "HOME="+profile)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err = cmd.Run()
	if cmd.Process != nil {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) // any helper left
	}
	res := &Result{Log: stderr.String(), DOM: stdout.String()}
	for _, ln := range strings.Split(res.Log, "\n") {
		if m := consoleLine.FindStringSubmatch(ln); m != nil {
			res.Console = append(res.Console, m[1])
		}
	}
	if ctx.Err() != nil {
		return res, fmt.Errorf("chromium did not finish within %v", o.Timeout)
	}
	if err != nil {
		return res, fmt.Errorf("chromium: %v\n%s", err, tail(res.Log, 2000))
	}
	if o.Screenshot {
		if res.PNG, err = os.ReadFile(png); err != nil {
			return res, fmt.Errorf("chromium wrote no screenshot: %v\n%s", err, tail(res.Log, 2000))
		}
	}
	return res, nil
}

// Tail is the end of a log, for a test's failure message.
func Tail(log string) string { return tail(log, 2000) }

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "…" + s[len(s)-n:]
}
