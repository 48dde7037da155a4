package listen

import (
	"bytes"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// serveAll accepts every client of ln, writes msg to it and closes it.
func serveAll(ln Listener, msg string) {
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			c.Write([]byte(msg))
			c.Close()
		}
	}()
}

func mustListen(t *testing.T, addr string) Listener {
	t.Helper()
	ln, err := Listen(addr, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	return ln
}

// A regular file, an empty directory, a symbolic link and a FIFO at the
// path are refused and stay as they were.
func TestRefusesWhatIsNotASocket(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "file")
	os.WriteFile(file, []byte("precious"), 0o644)
	emptyDir := filepath.Join(dir, "dir")
	os.Mkdir(emptyDir, 0o755)
	link := filepath.Join(dir, "link")
	os.Symlink(file, link)
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ path, kind string }{
		{file, "regular file"}, {emptyDir, "directory"}, {link, "symbolic link"}, {fifo, "FIFO"},
	} {
		_, err := Listen("unix:"+c.path, Options{})
		if !errors.Is(err, ErrRefused) || !strings.Contains(err.Error(), c.kind) || !strings.Contains(err.Error(), "left alone") {
			t.Errorf("%s: %v", c.path, err)
		}
	}
	if b, _ := os.ReadFile(file); string(b) != "precious" {
		t.Errorf("the file changed: %q", b)
	}
	if fi, err := os.Stat(emptyDir); err != nil || !fi.IsDir() {
		t.Errorf("the directory is gone: %v", err)
	}
	if target, err := os.Readlink(link); err != nil || target != file {
		t.Errorf("the link changed: %q %v", target, err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 4 {
		t.Errorf("left behind: %v", entries)
	}
}

// A socket someone listens on is refused and keeps working.
func TestRefusesALiveSocket(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s")
	first := mustListen(t, "unix:"+path)
	_, err := Listen("unix:"+path, Options{})
	if !errors.Is(err, ErrRefused) || !strings.Contains(err.Error(), "live socket") {
		t.Fatalf("second listener: %v", err)
	}
	serveAll(first, "ok") // the refused listener's check connected once too
	c, err := net.Dial("unix", path)
	if err != nil {
		t.Fatalf("the first listener stopped working: %v", err)
	}
	defer c.Close()
	b := make([]byte, 2)
	if _, err := c.Read(b); err != nil || string(b) != "ok" {
		t.Fatalf("read %q %v", b, err)
	}
}

// A socket nobody listens on (left by a killed process) is replaced.
func TestReplacesAStaleSocket(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s")
	fd, _ := syscall.Socket(syscall.AF_UNIX, syscall.SOCK_STREAM, 0)
	if err := syscall.Bind(fd, &syscall.SockaddrUnix{Name: path}); err != nil {
		t.Fatal(err)
	}
	syscall.Close(fd) // bound, never listened: connects are refused
	ln := mustListen(t, "unix:"+path)
	serveAll(ln, "")
	c, err := net.Dial("unix", path)
	if err != nil {
		t.Fatalf("new socket: %v", err)
	}
	c.Close()
}

// A path too long for a socket address is refused before anything is
// touched: a stale socket or a file there stays.
func TestPathLengthCheckedFirst(t *testing.T) {
	dir := t.TempDir()
	long := filepath.Join(dir, strings.Repeat("d", 120))
	if err := os.Mkdir(long, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(long, "s")
	os.WriteFile(path, []byte("x"), 0o644)
	_, err := Listen("unix:"+path, Options{})
	if !errors.Is(err, ErrRefused) || !strings.Contains(err.Error(), "more than the 107") {
		t.Fatalf("long path: %v", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "x" {
		t.Fatal("the file at the long path was touched")
	}
	if entries, _ := os.ReadDir(long); len(entries) != 1 {
		t.Fatalf("something was created: %v", entries)
	}
}

// A path of exactly 107 bytes works, although the private directory's name
// beside it is longer.
func TestLongestPathWorks(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, strings.Repeat("p", maxSunPath-len(dir)-1))
	if len(path) != maxSunPath {
		t.Fatalf("path is %d bytes", len(path))
	}
	ln := mustListen(t, "unix:"+path)
	serveAll(ln, "")
	c, err := net.Dial("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Fatalf("left behind: %v", entries)
	}
}

// The socket is 0600 whatever the umask, and the umask is left alone.
func TestSocketMode0600(t *testing.T) {
	old := syscall.Umask(0)
	defer syscall.Umask(old)
	path := filepath.Join(t.TempDir(), "s")
	mustListen(t, "unix:"+path)
	fi, err := os.Lstat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode()&os.ModeSocket == 0 || fi.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v, want a socket 0600", fi.Mode())
	}
	if now := syscall.Umask(0); now != 0 {
		t.Fatalf("umask changed to %o", now)
	}
}

// Close removes the socket it created, once, and not a socket that took
// its path over since.
func TestCloseRemovesOnlyItsOwnSocket(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s")
	ln, err := Listen("unix:"+path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := ln.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Lstat(path); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("own socket not removed: %v", err)
	}
	ln.Close() // a second Close is harmless

	first, err := Listen("unix:"+path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	os.Remove(path) // someone removed it and listened there
	second := mustListen(t, "unix:"+path)
	first.Close()
	if _, err := os.Lstat(path); err != nil {
		t.Fatalf("the other listener's socket was removed: %v", err)
	}
	serveAll(second, "")
	if c, err := net.Dial("unix", path); err != nil {
		t.Fatalf("the other listener stopped working: %v", err)
	} else {
		c.Close()
	}
}

// The backlog is qemu-ga's: while nothing accepts, two connects wait and a
// third cannot get in.
func TestBacklogOfOne(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s")
	mustListen(t, "unix:"+path)
	var results []error
	for i := 0; i < 3; i++ {
		fd, _ := syscall.Socket(syscall.AF_UNIX, syscall.SOCK_STREAM|syscall.SOCK_NONBLOCK, 0)
		defer syscall.Close(fd)
		results = append(results, syscall.Connect(fd, &syscall.SockaddrUnix{Name: path}))
	}
	if results[0] != nil || results[1] != nil || !errors.Is(results[2], syscall.EAGAIN) {
		t.Fatalf("connects: %v, want two to wait and the third EAGAIN", results)
	}
}

func TestTCPLoopbackOnly(t *testing.T) {
	for _, addr := range []string{"tcp:127.0.0.1:0", "tcp:[::1]:0", "tcp:localhost:0"} {
		ln, err := Listen(addr, Options{})
		if err != nil {
			if strings.Contains(addr, "::1") && errors.Is(err, syscall.EADDRNOTAVAIL) {
				continue // no IPv6 loopback on this machine
			}
			t.Fatalf("%s: %v", addr, err)
		}
		c, err := net.DialTimeout("tcp", ln.Addr().String(), time.Second)
		if err != nil {
			t.Fatalf("%s: dial: %v", addr, err)
		}
		c.Close()
		ln.Close()
	}
	for _, addr := range []string{"tcp:0.0.0.0:0", "tcp::0", "tcp:[::]:0", "tcp:192.0.2.1:0"} {
		if _, err := Listen(addr, Options{}); !errors.Is(err, ErrRefused) || !strings.Contains(err.Error(), "not a loopback") {
			t.Errorf("%s: %v", addr, err)
		}
	}
	var warned bytes.Buffer
	ln, err := Listen("tcp:0.0.0.0:0", Options{AllowRemote: true, Warn: func(m string) { warned.WriteString(m) }})
	if err != nil {
		t.Fatal(err)
	}
	ln.Close()
	if !strings.Contains(warned.String(), "anyone who can reach this port controls the guest") {
		t.Fatalf("warning: %q", warned.String())
	}
}

func TestBadAddresses(t *testing.T) {
	for _, addr := range []string{"", "unix:", "tcp:", "tcp:1234", "udp:x", "/path", "tcp:127.0.0.1:99999", "tcp:nohost:1"} {
		if _, err := Listen(addr, Options{}); err == nil {
			t.Errorf("%q: no error", addr)
		}
	}
}
