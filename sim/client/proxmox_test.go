package client

import (
	"strings"
	"testing"
	"time"

	"github.com/qgasim/qgasim/sim/agent"
)

// The texts a Proxmox caller sees, from qemu-server's QMPClient.pm (cmd,
// mux_input, mux_timeout, open_connection) and QemuServer/Agent.pm
// (check_agent_error): the queue's error after "VM <vmid> qga command
// '<cmd>' failed - ", or "Agent error: <desc>" for an agent error reply.
func TestProxmoxCallerTexts(t *testing.T) {
	h := newHarness("proxmox", Options{PID: 1200}, agent.Config{Latency: map[string]time.Duration{"guest-info": 7 * time.Second}})
	h.issue(0, 1, "guest-info", "")
	h.issue(10*time.Second, 2, "guest-no-such-command", "")
	h.run(20 * time.Second)
	if o := h.outcomes[1]; o.Kind != TimedOut || o.Detail != "VM 100 qga command 'guest-info' failed - got timeout" {
		t.Errorf("#1: %s %q", o.Kind, o.Detail)
	}
	if o := h.outcomes[2]; o.Kind != ErrorReply || o.Detail != "Agent error: The command guest-no-such-command has not been found" {
		t.Errorf("#2: %s %q", o.Kind, o.Detail)
	}

	c, _ := New("proxmox", Options{PID: 1200, VMID: 321}, nil)
	c.Issue(0, Request{Seq: 1, Execute: "guest-ping", Timeout: 3 * time.Second})
	c.Tick(int64(3 * time.Second)) // the connection never opened
	a := c.Take()
	if len(a.Outcomes) != 1 || a.Outcomes[0].Detail != "VM 321 qga command 'guest-ping' failed - unable to connect to VM 321 qga socket - timeout after 31 retries" {
		t.Errorf("connect timeout: %+v", a.Outcomes)
	}
}

// mux_input decodes both lines with Perl's JSON: a line that matched the
// pattern but is no JSON fails the call.
func TestProxmoxMalformedReply(t *testing.T) {
	c, _ := New("proxmox", Options{PID: 1200}, nil)
	c.Issue(0, Request{Seq: 1, Execute: "guest-ping"})
	c.Connected(0)
	c.Take()
	c.Receive(1, []byte("\xff{\"return\": 120001}\ngarbage}\n"))
	a := c.Take()
	if len(a.Outcomes) != 1 || a.Outcomes[0].Kind != Failed || !strings.Contains(a.Outcomes[0].Detail, "malformed JSON string, neither tag, array, object, number, string or atom, at character offset 0") {
		t.Fatalf("%+v", a.Outcomes)
	}
}
