package link

import (
	"fmt"
	"strings"
)

// Transport is one kind of channel between the host and the guest agent,
// as a real QEMU guest (or qemu-ga on a socket) behaves: its default link
// parameters, and what happens to the bytes in flight when a side comes or
// goes. Each transport is one file (transport_*.go) and one line of
// Transports; the Link, the agent process and the World ask it, and never
// compare names.
//
// The Link does the part every transport shares before it calls a hook:
// on a host close the bytes the host had not read are gone with its
// socket; on an agent death the rest of a reply it was writing is never
// written. The hooks do the rest, with the Link's directions (they live in
// this package and may use the Direction's unexported operations).
type Transport interface {
	// Name is the name scenarios use ("virtio-serial").
	Name() string
	// Doc says in one sentence what the transport does when a side comes
	// or goes, for the docs.
	Doc() string
	// Defaults are the link parameters of one direction.
	Defaults(d Dir) Params

	// Seekable reports whether qemu-ga's GLib channel on this transport
	// takes the port for seekable (a character device): then a write while
	// GLib's read buffer holds bytes fails with "Illegal seek" and the
	// reply is dropped (GLibChannel).
	Seekable() bool
	// PortEvents reports whether the host hears of the guest port opening
	// and closing (virtio-serial's VSERPORT_CHANGE, which the World
	// throttles as QEMU does).
	PortEvents() bool
	// AgentListens reports whether the agent is the listening end: a host
	// connect succeeds only while an agent listens (else it waits, or a
	// real client is refused), and the agent's exit ends the connection
	// once the host has read what the agent wrote before it went.
	AgentListens() bool
	// HoldsForNoHost reports whether the agent's writes while no host is
	// connected are held in the guest (the agent blocks until a host
	// comes, and the next host gets them first) rather than lost.
	HoldsForNoHost() bool

	// HostClosed is the host connection closing, after the host's unread
	// bytes are dropped.
	HostClosed(l *Link, now int64)
	// AgentStarted is a new agent process opening the port. It may draw
	// from the transport's random stream (l.rng), always the same number
	// of times, so that the stream does not depend on the run.
	AgentStarted(l *Link, now int64)
	// AgentDied is the agent process exiting or being killed, after the
	// rest of the reply it was writing is dropped.
	AgentDied(l *Link, now int64)
}

// Transport names.
const (
	VirtioSerial = "virtio-serial"
	ISASerial    = "isa-serial"
	UnixSocket   = "unix-socket"
)

// transports is every transport, in the order the docs and the schema list
// them; the first is the default. To add one, write its file and add it
// here.
var transports = []Transport{
	virtioSerial{},
	isaSerial{},
	unixSocket{},
}

// Transports lists the valid transport names, the default first.
var Transports = transportNames()

func transportNames() []string {
	names := make([]string, len(transports))
	for i, t := range transports {
		names[i] = t.Name()
	}
	return names
}

// DefaultTransport is the transport of a Config that names none.
func DefaultTransport() Transport { return transports[0] }

// LookupTransport returns the transport called name ("" is the default).
func LookupTransport(name string) (Transport, bool) {
	if name == "" {
		return DefaultTransport(), true
	}
	for _, t := range transports {
		if t.Name() == name {
			return t, true
		}
	}
	return nil, false
}

// AllTransports returns every transport, the default first.
func AllTransports() []Transport { return append([]Transport(nil), transports...) }

// Defaults are the parameters of one direction of the transport called
// name; an unknown name gets the default transport's.
func Defaults(name string, d Dir) Params {
	t, ok := LookupTransport(name)
	if !ok {
		t = DefaultTransport()
	}
	return t.Defaults(d)
}

func errUnknownTransport(name string) error {
	return fmt.Errorf("link: unknown transport %q (valid: %s)", name, strings.Join(Transports, ", "))
}
