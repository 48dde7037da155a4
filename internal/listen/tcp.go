package listen

import (
	"fmt"
	"net"
	"strconv"
	"syscall"
)

// tcpListener is a listening TCP socket.
type tcpListener struct {
	net.Listener
	address string
}

func (l *tcpListener) Address() string { return l.address }

// Warning is what a listener reachable from other machines says.
func Warning(addr string) string {
	return "WARNING: listening on " + addr + ", which is not loopback: anyone who can reach this port " +
		"controls the guest (guest-exec and guest-file-write run as root in the guest behind a proxy)"
}

func listenTCP(hostport string, opts Options) (Listener, error) {
	host, port, err := net.SplitHostPort(hostport)
	if err != nil {
		return nil, fmt.Errorf("tcp:%s: %w (want tcp:HOST:PORT)", hostport, err)
	}
	p, err := strconv.Atoi(port)
	if err != nil || p < 0 || p > 65535 {
		return nil, fmt.Errorf("tcp:%s: port %q is not a number from 0 to 65535", hostport, port)
	}
	var ip net.IP
	switch host {
	case "localhost":
		ip = net.IPv4(127, 0, 0, 1)
	case "":
		ip = net.IPv6unspecified
	default:
		if ip = net.ParseIP(host); ip == nil {
			return nil, fmt.Errorf("tcp:%s: %q is not an IP address (or localhost)", hostport, host)
		}
	}
	if !ip.IsLoopback() {
		if !opts.AllowRemote {
			return nil, refused("tcp:%s is not a loopback address: anyone who can reach it would control the guest; "+
				"listening there must be asked for explicitly", hostport)
		}
		if opts.Warn == nil {
			panic("listen: AllowRemote without Warn")
		}
		opts.Warn(Warning("tcp:" + hostport))
	}
	family, sa := syscall.AF_INET6, syscall.Sockaddr(nil)
	if v4 := ip.To4(); v4 != nil {
		family = syscall.AF_INET
		a := &syscall.SockaddrInet4{Port: p}
		copy(a.Addr[:], v4)
		sa = a
	} else {
		a := &syscall.SockaddrInet6{Port: p}
		copy(a.Addr[:], ip.To16())
		sa = a
	}
	fd, err := syscall.Socket(family, syscall.SOCK_STREAM|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		return nil, err
	}
	if err := syscall.SetsockoptInt(fd, syscall.SOL_SOCKET, syscall.SO_REUSEADDR, 1); err != nil {
		syscall.Close(fd)
		return nil, err
	}
	if err := syscall.Bind(fd, sa); err != nil {
		syscall.Close(fd)
		return nil, fmt.Errorf("tcp:%s: bind: %w", hostport, err)
	}
	if err := syscall.Listen(fd, opts.Backlog); err != nil {
		syscall.Close(fd)
		return nil, fmt.Errorf("tcp:%s: listen: %w", hostport, err)
	}
	ln, err := fileListener(fd, "tcp:"+hostport)
	if err != nil {
		return nil, err
	}
	return &tcpListener{Listener: ln, address: "tcp:" + ln.Addr().String()}, nil
}
