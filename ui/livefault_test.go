package ui

import (
	"errors"
	"strings"
	"testing"

	"github.com/qgasim/qgasim/sim/fault"
	"github.com/qgasim/qgasim/ui/model"
)

// fakeLive records what the UI injects.
type fakeLive struct {
	specs  []fault.Spec
	frozen bool
	err    error
}

func (f *fakeLive) Inject(s fault.Spec) error {
	if f.err != nil {
		return f.err
	}
	f.specs = append(f.specs, s)
	return nil
}
func (f *fakeLive) Frozen() bool { return f.frozen }

// On a live session the fault keys are on the bar and fire into the
// session; the header counts them; a refusal is shown as an error; the
// keys that need the World still say so.
func TestLiveFaultKeys(t *testing.T) {
	_, info := recordedRun(t)
	info.LiveSpeed = 1
	live := &fakeLive{}
	u := NewPlayer(Options{Info: info, Live: live}, NewLivePlayer(info, model.Limits{}, 16), true)
	text := screenText(t, u, 200, 50)
	if !strings.Contains(text, "r restart") || !strings.Contains(text, "f 0xFF") || strings.Contains(text, "w save") {
		t.Errorf("the key bar of a live session with faults by hand:\n%s", text)
	}
	press(u, "rfz")
	var kinds []string
	for _, s := range live.specs {
		kinds = append(kinds, s.Kind)
	}
	if got := strings.Join(kinds, " "); got != "restart-agent inject freeze" {
		t.Fatalf("injected %q", got)
	}
	if !strings.Contains(u.message, "freeze: fired in the live session now") || u.msgErr {
		t.Errorf("message %q", u.message)
	}
	press(u, "f")
	if !strings.Contains(u.message, `inject \xff: fired`) {
		t.Errorf("f says %q", u.message)
	}
	live.frozen = true
	press(u, "z")
	if k := live.specs[len(live.specs)-1].Kind; k != "thaw" {
		t.Errorf("z on a frozen guest injected %s, want thaw", k)
	}
	if head := strings.SplitN(screenText(t, u, 200, 50), "\n", 2)[0]; !strings.Contains(head, "5 by hand") {
		t.Errorf("header %q does not count the 5 faults by hand", head)
	}
	live.err = errors.New("sim: thaw runs a command inside the guest: it needs the simulated agent, not a real one")
	press(u, "z")
	if !u.msgErr || !strings.Contains(u.message, "needs the simulated agent") {
		t.Errorf("a refused fault says %q (error %v)", u.message, u.msgErr)
	}
	press(u, "s")
	if !strings.Contains(u.message, "needs a scenario run") {
		t.Errorf("s on a live session: %q", u.message)
	}
}
