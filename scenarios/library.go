package scenarios

import (
	"embed"
	"strings"
)

// The library: the scenario files of this directory, inside every binary,
// so that `qgasim run stale-reply-virtio` works from any directory.
//
//go:embed *.yaml
var libraryFS embed.FS

// Entry is one scenario of the library.
type Entry struct {
	Name    string // the scenario's name, which is also its file's stem
	File    string // the file name, e.g. stale-reply-virtio.yaml
	Summary string // one line: what it shows
}

// catalogue is the library in teaching order (lessons first, then field
// bugs, then what the lab and libvirt showed) with a one-line summary each.
// The README's table is this list (a test keeps them equal), and every
// file of the library has a line here (a test again).
var catalogue = []struct{ name, summary string }{
	{"handshake-guest-sync", "libvirt's guest-sync handshake: sync once per connection, then bare commands"},
	{"why-0xff-first", "a dead client's half request in the agent's parser, flushed by the 0xFF"},
	{"partial-request-without-0xff", "the same fragment eating the next request when nobody flushes"},
	{"delimited-sentinel-after-timeout", "the 0xFF sentinel lets the client skip a late reply after a timeout"},
	{"stale-reply-virtio", "virtio-serial keeps a late reply; a naive client gives it to the next caller"},
	{"lost-reply-isa", "isa-serial loses the reply written while no host is connected"},
	{"restart-mid-reply", "the agent dies mid-reply; the client resyncs past the cut"},
	{"frozen-agent", "the frozen state and its allowlist"},
	{"pause-vs-kill-libvirt", `a paused agent times out ("not available for now"); a killed one fails at once ("not connected")`},
	{"graceful-stop-delivers-held-reply", "SIGTERM to an agent holding a reply for no host: the next client gets it, then the agent exits (lab H3)"},
	{"frozen-agent-ignores-sigterm", "a frozen agent ignores SIGTERM; only SIGKILL stops it, and it comes back frozen"},
	{"concurrent-callers-libvirt-job", "two callers at once: libvirt's agent job makes the second wait, then run"},
	{"concurrent-callers-naive", "two callers at once with no lock: each takes the next line, and they swap answers"},
	{"backpressure-isa-serial", "a host that stops reading: the agent's write blocks after 278 bytes on isa-serial; nothing is lost"},
	{"libvirtd-restart-late-reply", "libvirtd restarts mid-command; the chardev keeps the reply, the new libvirtd's sync skips it"},
	{"field-libvirt-command-never-answers", "libvirt waiting for ever on a command (RHBZ 1705426)"},
	{"field-python-killed-by-idless-error", "qemu.qmp ends the session on an error reply without an id"},
	{"field-proxmox-stale-pair", "a stale delimited pair from an earlier Proxmox process fails the call"},
	{"field-sync-while-booting", "a sync sent while the guest boots (vmtest #17)"},
	{"field-proxmox-lost-fsfreeze", "a lost fsfreeze blocks Proxmox for its 1 h timeout"},
	{"field-kubevirt-freeze-paused-vm", "a freeze of a paused VM times out, runs on resume, and leaves the guest frozen (kubevirt#10759)"},
	{"field-vdsm-freeze-blocks-for-hours", "a built-in libvirt call blocks for 7 h 45 min until the VM powers off (oVirt/vdsm#160)"},
	{"field-cosmic-retries-without-wait", `"not connected" fails at once: retries without a sleep are spent in a millisecond (cosmic#178)`},
	{"field-telmate-reboot-during-provisioning", "a reboot during provisioning: give up at the first failed ping, or poll and succeed (Telmate#620)"},
	{"field-bpg-proxmox-interface-without-ip", "a provider polls network interfaces for 15 min: every answer correct, its condition never met (bpg/terraform-provider-proxmox#164)"},
	{"field-go-qemu-64k-line", "a reply over 64 KiB stops a Go line reader for good (go-qemu#159)"},
	{"field-vmtest-reset-on-first-sync", "vmtest's handshake dies with the agent, sleeps 1 s and succeeds on a new connection (vmtest#18)"},
	{"field-vmtest-late-exec-status", "after a 5 s read timeout the late reply is the next call's answer (vmtest#40)"},
	{"field-vmtest-repeated-sync-id", "a handshake id repeated across tries accepts a stale reply (vmtest#96, #27)"},
	{"field-vmtest-random-sync-id", "the same with vmtest's random ids: the stale reply costs a retry, not a wrong answer"},
	{"field-avocado-sync-gives-up", "avocado-vt's sync gives up after 80 s; the next call drains the late reply (avocado-vt#700)"},
	{"lab-big-reply-tail", "a half-read big reply's tail reaches the next client on virtio-serial (seen on a real guest)"},
	{"lab-illegal-seek", `87 of 108 pipelined replies dropped with "Illegal seek", as on a real guest`},
	{"lab-isa-write-and-close", "an isa-serial client that writes and closes poisons the next client's first request"},
	{"lab-isa-host-closes-while-agent-down", "isa-serial: a closed connection's request is flushed whole, the next one is clean (lab D2)"},
	{"libvirt-not-connected-window", `after an agent restart libvirt is "not connected" for about a second (QEMU's event throttle)`},
	{"libvirt-hidden-restart", "a restart inside the throttle window goes unseen: no resync"},
	{"libvirt-hidden-restart-keeps-poison", "...and a poisoned connection stays poisoned"},
	{"libvirt-cleared-poison", "a poisoned libvirt reads nothing; a restart it sees clears the poison and the unread bytes"},
	{"libvirt-empty-line-poisons", "an empty line poisons libvirt's agent connection"},
	{"libvirt-paused-agent", "a paused agent: a 5 s timeout then a clean resync; no timeout blocks"},
	{"libvirt-unchecked-reply", "libvirt checks nothing during a command: a stray line becomes the answer"},
}

// Library lists the library's scenarios: those of the catalogue in its
// order, then any file the catalogue does not name, by file name, with the
// first sentence of its description as summary.
func Library() []Entry {
	var out []Entry
	listed := map[string]bool{}
	for _, c := range catalogue {
		if _, err := libraryFS.Open(c.name + ".yaml"); err != nil {
			continue
		}
		listed[c.name] = true
		out = append(out, Entry{Name: c.name, File: c.name + ".yaml", Summary: c.summary})
	}
	files, _ := libraryFS.ReadDir(".")
	for _, f := range files {
		name := strings.TrimSuffix(f.Name(), ".yaml")
		if listed[name] {
			continue
		}
		data, _ := libraryFS.ReadFile(f.Name())
		out = append(out, Entry{Name: name, File: f.Name(), Summary: firstSentence(data)})
	}
	return out
}

// LibraryFile returns a library scenario's file by its name, with or
// without the .yaml suffix.
func LibraryFile(name string) (Entry, []byte, bool) {
	name = strings.TrimSuffix(name, ".yaml")
	for _, e := range Library() {
		if e.Name == name {
			data, err := libraryFS.ReadFile(e.File)
			return e, data, err == nil
		}
	}
	return Entry{}, nil, false
}

// firstSentence is a fallback summary: the description's first sentence,
// found without the loader (it is only a listing).
func firstSentence(data []byte) string {
	_, rest, ok := strings.Cut(string(data), "\ndescription:")
	if !ok {
		return ""
	}
	var words []string
	for i, line := range strings.Split(rest, "\n") {
		t := strings.TrimSpace(line)
		if t == "|" || t == ">" || (i == 0 && t == "") {
			continue
		}
		if i > 0 && !strings.HasPrefix(line, " ") {
			break
		}
		words = append(words, t)
	}
	s := strings.Join(words, " ")
	if end := strings.Index(s, ". "); end >= 0 {
		s = s[:end]
	}
	return strings.TrimSuffix(s, ".")
}
