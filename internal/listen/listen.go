package listen

import (
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
)

// Options tune a listener.
type Options struct {
	// Backlog is listen(2)'s backlog; 0 is 1, qemu-ga's.
	Backlog int
	// AllowRemote lets a tcp: address be something other than loopback.
	AllowRemote bool
	// Warn receives the warning printed for a listener that is not
	// loopback-only. It must be set when AllowRemote is.
	Warn func(msg string)
}

// Listener is an open listening socket.
type Listener interface {
	net.Listener
	// Address is what the listener was opened with ("unix:/run/x.sock").
	Address() string
}

// Listen opens a listener for "unix:PATH" or "tcp:HOST:PORT".
func Listen(address string, opts Options) (Listener, error) {
	if opts.Backlog <= 0 {
		opts.Backlog = 1
	}
	kind, rest, ok := strings.Cut(address, ":")
	switch {
	case ok && kind == "unix" && rest != "":
		return listenUnix(rest, opts)
	case ok && kind == "tcp" && rest != "":
		return listenTCP(rest, opts)
	}
	return nil, fmt.Errorf("listen address %q: want unix:PATH or tcp:HOST:PORT", address)
}

// ErrRefused marks a listen address that qgasim refuses in order not to
// destroy or expose something; the message says what and why.
var ErrRefused = errors.New("refused")

func refused(format string, a ...any) error {
	return fmt.Errorf("%w: %s", ErrRefused, fmt.Sprintf(format, a...))
}

// fileListener turns a listening socket's descriptor into a net.Listener.
func fileListener(fd int, name string) (net.Listener, error) {
	f := os.NewFile(uintptr(fd), name)
	defer f.Close() // FileListener dups it
	return net.FileListener(f)
}
