package listen

import (
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"time"
)

// maxSunPath is the longest path a unix socket address holds: sun_path is
// 108 bytes with the terminating NUL.
const maxSunPath = 107

// unixListener is a listening unix socket and the file it created.
type unixListener struct {
	net.Listener
	path     string
	dev, ino uint64
	once     sync.Once
	err      error
}

func (l *unixListener) Address() string { return "unix:" + l.path }

// Addr reports the path clients connect to (the socket was bound under
// another name, see bindPrivate).
func (l *unixListener) Addr() net.Addr { return &net.UnixAddr{Name: l.path, Net: "unix"} }

// Close stops listening and removes the socket file if it is still ours.
func (l *unixListener) Close() error {
	l.once.Do(func() {
		l.err = l.Listener.Close()
		var st syscall.Stat_t
		if syscall.Lstat(l.path, &st) == nil && uint64(st.Dev) == l.dev && st.Ino == l.ino {
			if err := os.Remove(l.path); err != nil && l.err == nil {
				l.err = err
			}
		}
	})
	return l.err
}

func listenUnix(path string, opts Options) (Listener, error) {
	if len(path) > maxSunPath {
		return nil, refused("unix socket path is %d bytes, more than the %d a socket address holds: %s",
			len(path), maxSunPath, path)
	}
	if err := clearStale(path); err != nil {
		return nil, err
	}
	ln, st, err := bindPrivate(path, opts.Backlog)
	if err != nil {
		return nil, err
	}
	return &unixListener{Listener: ln, path: path, dev: uint64(st.Dev), ino: st.Ino}, nil
}

// clearStale checks what is at path: nothing is fine, a stale socket is
// removed, anything else is refused.
func clearStale(path string) error {
	var st syscall.Stat_t
	err := syscall.Lstat(path, &st)
	if errors.Is(err, syscall.ENOENT) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("unix:%s: %w", path, err)
	}
	if st.Mode&syscall.S_IFMT != syscall.S_IFSOCK {
		return refused("%s exists and is not a socket (%s); it is left alone", path, fileKind(st.Mode))
	}
	c, err := net.DialTimeout("unix", path, time.Second)
	if err == nil {
		c.Close()
		return refused("%s is a live socket: something is listening on it", path)
	}
	if !errors.Is(err, syscall.ECONNREFUSED) {
		return refused("%s is a socket that cannot be checked (%v); it is left alone", path, err)
	}
	// Stale. Remove it only if it is still the socket that was checked.
	var again syscall.Stat_t
	if syscall.Lstat(path, &again) != nil || again.Dev != st.Dev || again.Ino != st.Ino {
		return refused("%s changed while it was being checked; it is left alone", path)
	}
	if err := os.Remove(path); err != nil {
		return fmt.Errorf("removing the stale socket %s: %w", path, err)
	}
	return nil
}

func fileKind(mode uint32) string {
	switch mode & syscall.S_IFMT {
	case syscall.S_IFREG:
		return "a regular file"
	case syscall.S_IFDIR:
		return "a directory"
	case syscall.S_IFLNK:
		return "a symbolic link"
	case syscall.S_IFIFO:
		return "a FIFO"
	case syscall.S_IFCHR, syscall.S_IFBLK:
		return "a device"
	}
	return "not a socket"
}

// bindPrivate creates the listening socket without ever giving it a name
// that others can reach with a wider mode than 0600: it binds in a new
// directory of mode 0700 beside path, sets the socket's mode there, then
// links it to path (link fails if path exists: nothing is replaced) and
// removes the private name. It returns the listener and the socket file's
// identity.
func bindPrivate(path string, backlog int) (net.Listener, *syscall.Stat_t, error) {
	dir, err := os.MkdirTemp(filepath.Dir(path), ".qgasim-")
	if err != nil {
		return nil, nil, fmt.Errorf("unix:%s: %w", path, err)
	}
	defer os.RemoveAll(dir)
	d, err := os.Open(dir)
	if err != nil {
		return nil, nil, err
	}
	defer d.Close()
	private := filepath.Join(dir, "s")
	bindName := private
	if len(bindName) > maxSunPath {
		// The private directory's name is longer than the room left: name
		// it through its descriptor.
		bindName = fmt.Sprintf("/proc/self/fd/%d/s", d.Fd())
	}
	fd, err := syscall.Socket(syscall.AF_UNIX, syscall.SOCK_STREAM|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		return nil, nil, err
	}
	keep := false
	defer func() {
		if !keep {
			syscall.Close(fd)
		}
	}()
	if err := syscall.Bind(fd, &syscall.SockaddrUnix{Name: bindName}); err != nil {
		return nil, nil, fmt.Errorf("unix:%s: bind: %w", path, err)
	}
	if err := os.Chmod(private, 0o600); err != nil {
		return nil, nil, err
	}
	if err := syscall.Listen(fd, backlog); err != nil {
		return nil, nil, fmt.Errorf("unix:%s: listen: %w", path, err)
	}
	if err := os.Link(private, path); err != nil {
		if errors.Is(err, os.ErrExist) {
			return nil, nil, refused("%s appeared while the socket was being created; it is left alone", path)
		}
		return nil, nil, fmt.Errorf("unix:%s: %w", path, err)
	}
	var st syscall.Stat_t
	if err := syscall.Lstat(path, &st); err != nil {
		os.Remove(path)
		return nil, nil, err
	}
	keep = true // fileListener owns the descriptor now
	ln, err := fileListener(fd, path)
	if err != nil {
		os.Remove(path)
		return nil, nil, err
	}
	return ln, &st, nil
}
