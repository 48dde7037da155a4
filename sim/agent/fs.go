package agent

import (
	"errors"
	"io"
	"io/fs"
	"path"
	"sort"
	"strings"
	"syscall"
)

// FS is the guest's file system as the agent's commands see it: the
// guest-file commands, the SSH key commands (which keep each user's keys in
// ~/.ssh/authorized_keys) and the cat of guest-exec. Paths are the guest's:
// absolute, or relative to the agent's working directory "/".
//
// Errors are syscall.Errno values (wrapped or not), so that the agent can
// write the C library's text for them as the real agent does.
//
// Two implementations: MemFS, an in-memory tree (deterministic, what the
// World uses, seeded from Config.Files), and DirFS, a real directory that
// holds the guest's root (for `agent --fs-root`, so a test can look at what
// a client wrote).
type FS interface {
	// OpenFile opens a file with os.OpenFile's flags; perm is used when the
	// file is created.
	OpenFile(name string, flag int, perm fs.FileMode) (File, error)
	// ReadFile returns a whole file.
	ReadFile(name string) ([]byte, error)
	// WriteFile replaces a file's content, creating it with perm.
	WriteFile(name string, data []byte, perm fs.FileMode) error
	// MkdirAll creates a directory and its parents.
	MkdirAll(name string, perm fs.FileMode) error
}

// File is an open guest file. Reading a directory fails with EISDIR;
// reading a file opened write-only, or writing one opened read-only, fails
// with EBADF.
type File interface {
	io.Reader
	io.Writer
	io.Seeker
	io.Closer
}

// guestPath turns a guest path into a clean absolute one: relative paths
// are taken from "/", the agent's working directory, and ".." never goes
// above "/" (as in a chroot).
func guestPath(name string) string {
	if !strings.HasPrefix(name, "/") {
		name = "/" + name
	}
	return path.Clean(name)
}

// MemFS is an in-memory guest file system: files and the directories that
// hold them. Writes change it for the rest of the run.
type MemFS struct {
	files map[string]*memData
	dirs  map[string]bool
}

type memData struct{ b []byte }

// baseDirs are the directories of a fresh Debian-like guest, present even
// when no file lives in them.
var baseDirs = []string{"/", "/bin", "/boot", "/dev", "/etc", "/home", "/root", "/run", "/sbin",
	"/srv", "/tmp", "/usr", "/usr/bin", "/usr/sbin", "/var", "/var/log", "/var/tmp"}

// NewMemFS returns a file system holding files (path to content; the
// content is copied), the base directories of a Debian guest, the home
// directories of accounts, and every directory on the way to a file.
func NewMemFS(files map[string][]byte, homes ...string) *MemFS {
	m := &MemFS{files: map[string]*memData{}, dirs: map[string]bool{}}
	for _, d := range baseDirs {
		m.dirs[d] = true
	}
	for _, h := range homes {
		m.addDirs(guestPath(h))
	}
	for p, c := range files {
		p = guestPath(p)
		m.files[p] = &memData{b: append([]byte(nil), c...)}
		m.addDirs(path.Dir(p))
	}
	return m
}

func (m *MemFS) addDirs(d string) {
	for {
		m.dirs[d] = true
		if d == "/" {
			return
		}
		d = path.Dir(d)
	}
}

// Files returns a copy of every file, by path, in path order (for tests and
// for a caller that wants to see what the guest wrote).
func (m *MemFS) Files() map[string][]byte {
	out := make(map[string][]byte, len(m.files))
	for p, d := range m.files {
		out[p] = append([]byte(nil), d.b...)
	}
	return out
}

// Paths returns the paths of the files, sorted.
func (m *MemFS) Paths() []string {
	out := make([]string, 0, len(m.files))
	for p := range m.files {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// lookupParent checks that the directory holding p exists.
func (m *MemFS) lookupParent(p string) error {
	dir := path.Dir(p)
	if m.dirs[dir] {
		return nil
	}
	// A file on the way is "not a directory", a missing one "no such file".
	for d := dir; d != "/"; d = path.Dir(d) {
		if m.files[d] != nil {
			return syscall.ENOTDIR
		}
	}
	return syscall.ENOENT
}

// OpenFile implements FS.
func (m *MemFS) OpenFile(name string, flag int, perm fs.FileMode) (File, error) {
	if name == "" {
		return nil, syscall.ENOENT
	}
	p := guestPath(name)
	if err := m.lookupParent(p); err != nil {
		return nil, err
	}
	acc := flag & (syscall.O_RDONLY | syscall.O_WRONLY | syscall.O_RDWR)
	f := &memFile{read: acc != syscall.O_WRONLY, write: acc != syscall.O_RDONLY, appendMode: flag&syscall.O_APPEND != 0}
	if m.dirs[p] {
		if f.write {
			return nil, syscall.EISDIR
		}
		f.dir = true
		return f, nil
	}
	d := m.files[p]
	if d == nil {
		if flag&syscall.O_CREAT == 0 {
			return nil, syscall.ENOENT
		}
		d = &memData{b: []byte{}}
		m.files[p] = d
	}
	if flag&syscall.O_TRUNC != 0 {
		d.b = d.b[:0]
	}
	f.data = d
	return f, nil
}

// ReadFile implements FS.
func (m *MemFS) ReadFile(name string) ([]byte, error) {
	p := guestPath(name)
	if m.dirs[p] {
		return nil, syscall.EISDIR
	}
	if err := m.lookupParent(p); err != nil {
		return nil, err
	}
	d := m.files[p]
	if d == nil {
		return nil, syscall.ENOENT
	}
	return append([]byte(nil), d.b...), nil
}

// WriteFile implements FS.
func (m *MemFS) WriteFile(name string, data []byte, perm fs.FileMode) error {
	f, err := m.OpenFile(name, syscall.O_WRONLY|syscall.O_CREAT|syscall.O_TRUNC, perm)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	return err
}

// MkdirAll implements FS.
func (m *MemFS) MkdirAll(name string, perm fs.FileMode) error {
	p := guestPath(name)
	for d := p; d != "/"; d = path.Dir(d) {
		if m.files[d] != nil {
			return syscall.ENOTDIR
		}
	}
	m.addDirs(p)
	return nil
}

// memFile is an open MemFS file: a position in content shared with every
// other handle of the same file.
type memFile struct {
	data               *memData
	pos                int64
	dir                bool
	read, write        bool
	appendMode, closed bool
}

func (f *memFile) Read(b []byte) (int, error) {
	switch {
	case f.closed:
		return 0, syscall.EBADF
	case f.dir:
		return 0, syscall.EISDIR
	case !f.read:
		return 0, syscall.EBADF
	}
	if f.pos >= int64(len(f.data.b)) {
		return 0, io.EOF
	}
	n := copy(b, f.data.b[f.pos:])
	f.pos += int64(n)
	return n, nil
}

func (f *memFile) Write(b []byte) (int, error) {
	if f.closed || f.dir || !f.write {
		return 0, syscall.EBADF
	}
	if f.appendMode {
		f.pos = int64(len(f.data.b))
	}
	end := f.pos + int64(len(b))
	if end > int64(len(f.data.b)) {
		f.data.b = append(f.data.b, make([]byte, end-int64(len(f.data.b)))...)
	}
	copy(f.data.b[f.pos:end], b)
	f.pos = end
	return len(b), nil
}

func (f *memFile) Seek(off int64, whence int) (int64, error) {
	var base int64
	switch whence {
	case io.SeekCurrent:
		base = f.pos
	case io.SeekEnd:
		if !f.dir {
			base = int64(len(f.data.b))
		}
	}
	if base+off < 0 {
		return f.pos, syscall.EINVAL
	}
	f.pos = base + off
	return f.pos, nil
}

func (f *memFile) Close() error {
	f.closed = true
	return nil
}

// errnoText is the C library's text for an error (strerror), which the real
// agent puts in its error replies; errors that are not an errno get their
// Go text.
func errnoText(err error) string {
	var en syscall.Errno
	if errors.As(err, &en) {
		if s, ok := strerrors[en]; ok {
			return s
		}
	}
	return err.Error()
}

// strerrors are glibc's texts for the errnos the simulated guest produces.
var strerrors = map[syscall.Errno]string{
	syscall.EPERM:        "Operation not permitted",
	syscall.ENOENT:       "No such file or directory",
	syscall.EIO:          "Input/output error",
	syscall.EBADF:        "Bad file descriptor",
	syscall.EACCES:       "Permission denied",
	syscall.EBUSY:        "Device or resource busy",
	syscall.EEXIST:       "File exists",
	syscall.ENOTDIR:      "Not a directory",
	syscall.EISDIR:       "Is a directory",
	syscall.EINVAL:       "Invalid argument",
	syscall.ENOSPC:       "No space left on device",
	syscall.EROFS:        "Read-only file system",
	syscall.ELOOP:        "Too many levels of symbolic links",
	syscall.ENAMETOOLONG: "File name too long",
}
