package lab

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"strings"
	"time"
)

// Ctl is the control shell in the guest: a busybox sh on the virtio port
// "ctl", independent of qemu-ga. It pauses, resumes, stops and restarts the
// agents through the agent loops of initScript.
type Ctl struct {
	c net.Conn
	n int
}

// dialCtl connects and waits until the shell answers: the guest restarts
// its shell every 0.2 s while no host is connected, so the first lines may
// reach a shell that is just starting.
func dialCtl(ctx context.Context, path string) (*Ctl, error) {
	c, err := net.Dial("unix", path)
	if err != nil {
		return nil, err
	}
	for i := 0; ctx.Err() == nil; i++ {
		mark := fmt.Sprintf("CTLREADY%d", i)
		if _, err := fmt.Fprintf(c, "echo %s\n", mark); err != nil {
			c.Close()
			return nil, err
		}
		if bytes.Contains(recvFor(c, time.Second, []byte(mark+"\n")), []byte(mark+"\n")) {
			recvFor(c, 200*time.Millisecond, nil) // answers to earlier tries
			return &Ctl{c: c}, nil
		}
	}
	c.Close()
	return nil, fmt.Errorf("the control shell does not answer")
}

// Run runs a shell command in the guest and returns its output.
func (t *Ctl) Run(cmd string, timeout time.Duration) (string, error) {
	t.n++
	mark := fmt.Sprintf("__END%d__", t.n)
	if _, err := fmt.Fprintf(t.c, "%s\necho %s\n", cmd, mark); err != nil {
		return "", err
	}
	out := recvFor(t.c, timeout, []byte(mark+"\n"))
	i := bytes.Index(out, []byte(mark+"\n"))
	if i < 0 {
		return string(out), fmt.Errorf("lab: guest command %q: no end mark in %v (got %q)", cmd, timeout, out)
	}
	return string(out[:i]), nil
}

// Close ends the connection; the guest starts a new shell.
func (t *Ctl) Close() error { return t.c.Close() }

// The agent operations. tag is "virtio" or "isa". Each waits in the guest
// for its effect so that the next step of a script sees it done.

// Pause stops the agent with SIGSTOP: its port stays open, nothing is read.
func (t *Ctl) Pause(tag string) error { return t.signal(tag, "STOP") }

// Resume continues a paused agent.
func (t *Ctl) Resume(tag string) error { return t.signal(tag, "CONT") }

func (t *Ctl) signal(tag, sig string) error {
	out, err := t.Run(fmt.Sprintf("p=$(cat /run/%s.pid 2>/dev/null) && kill -%s $p && echo OK", tag, sig), 10*time.Second)
	if err == nil && !strings.Contains(out, "OK") {
		err = fmt.Errorf("lab: kill -%s the %s agent: %q", sig, tag, out)
	}
	return err
}

// Stop ends the agent with sig (TERM or KILL) and keeps it down until Start.
func (t *Ctl) Stop(tag, sig string) error {
	cmd := fmt.Sprintf(`touch /run/%[1]s.hold; p=$(cat /run/%[1]s.pid 2>/dev/null) && kill -%[2]s $p
i=0; while [ -e /run/%[1]s.pid ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i+1)); done
[ -e /run/%[1]s.pid ] && echo STILL-UP || echo DOWN`, tag, sig)
	out, err := t.Run(cmd, 20*time.Second)
	if err == nil && !strings.Contains(out, "DOWN") {
		err = fmt.Errorf("lab: the %s agent did not stop on SIG%s: %q", tag, sig, out)
	}
	return err
}

// Term sends the agent SIGTERM and does not wait: an agent that holds a
// reply no host takes lives on until a host comes (docs/lab.md, H3).
// Once it exits it stays down until Start.
func (t *Ctl) Term(tag string) error {
	out, err := t.Run(fmt.Sprintf("touch /run/%[1]s.hold; p=$(cat /run/%[1]s.pid 2>/dev/null) && kill -TERM $p && echo OK", tag), 10*time.Second)
	if err == nil && !strings.Contains(out, "OK") {
		err = fmt.Errorf("lab: kill -TERM the %s agent: %q", tag, out)
	}
	return err
}

// Start lets the agent loop start qemu-ga again and waits until it runs.
func (t *Ctl) Start(tag string) error {
	cmd := fmt.Sprintf(`rm -f /run/%[1]s.hold
i=0; while [ ! -e /run/%[1]s.pid ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i+1)); done
[ -e /run/%[1]s.pid ] && echo UP || echo NOT-UP`, tag)
	out, err := t.Run(cmd, 20*time.Second)
	if err == nil && !strings.Contains(out, "UP") || strings.Contains(out, "NOT-UP") {
		err = fmt.Errorf("lab: the %s agent did not start: %q", tag, out)
	}
	return err
}
