package main

import (
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"strings"
	"syscall"
)

// openListener opens the socket a live session listens on: unix:PATH (mode
// 0600; something already at PATH is refused and left alone) or
// tcp:HOST:PORT (a loopback HOST only: whoever connects controls the
// simulated guest). close removes the socket file it created.
//
// (The safe listeners of internal/listen, once they are there, replace
// this.)
func openListener(addr string) (ln net.Listener, display string, err error) {
	network, rest, ok := strings.Cut(addr, ":")
	switch {
	case !ok || rest == "":
		return nil, "", fmt.Errorf("--listen %q: want unix:PATH or tcp:127.0.0.1:PORT", addr)
	case network == "unix":
		if _, err := os.Lstat(rest); err == nil {
			return nil, "", fmt.Errorf("--listen %s: something is already there; remove it or name another path", rest)
		} else if !errors.Is(err, fs.ErrNotExist) {
			return nil, "", fmt.Errorf("--listen %s: %w", rest, err)
		}
		old := syscall.Umask(0o177)
		ln, err = net.Listen("unix", rest)
		syscall.Umask(old)
		if err != nil {
			return nil, "", fmt.Errorf("--listen: %w", err)
		}
		return ln, "unix:" + rest, nil
	case network == "tcp":
		host, _, err := net.SplitHostPort(rest)
		if err != nil {
			return nil, "", fmt.Errorf("--listen %q: %v (want tcp:127.0.0.1:PORT)", addr, err)
		}
		if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
			return nil, "", fmt.Errorf("--listen %q: only a loopback address (127.0.0.1, ::1, localhost): whoever connects controls the simulated guest", addr)
		}
		ln, err = net.Listen("tcp", rest)
		if err != nil {
			return nil, "", fmt.Errorf("--listen: %w", err)
		}
		return ln, "tcp:" + ln.Addr().String(), nil
	}
	return nil, "", fmt.Errorf("--listen %q: want unix:PATH or tcp:127.0.0.1:PORT", addr)
}
