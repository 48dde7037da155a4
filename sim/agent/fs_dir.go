package agent

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"strings"
	"syscall"
)

// DirFS is a guest file system kept in a real directory: the guest's "/" is
// the directory, so a test can look at what a client wrote. Every path stays
// inside it: ".." stops at the guest's root, and a symbolic link that leads
// out of the directory (or is absolute) is refused with EACCES, whatever the
// real agent would have opened behind it.
type DirFS struct {
	root *os.Root
}

// OpenDirFS opens dir as a guest's root directory. Close it when done.
func OpenDirFS(dir string) (*DirFS, error) {
	r, err := os.OpenRoot(dir)
	if err != nil {
		return nil, err
	}
	return &DirFS{root: r}, nil
}

// Close releases the directory.
func (d *DirFS) Close() error { return d.root.Close() }

// Dir is the directory that holds the guest's root.
func (d *DirFS) Dir() string { return d.root.Name() }

// rel turns a guest path into a name inside the root.
func rel(name string) string {
	p := strings.TrimPrefix(guestPath(name), "/")
	if p == "" {
		return "."
	}
	return p
}

// confine gives an error of the os.Root as the guest sees it: an errno
// stays what it is, anything else (a path that would leave the root) is
// "Permission denied".
func confine(err error) error {
	if err == nil {
		return nil
	}
	var en syscall.Errno
	if errors.As(err, &en) {
		return en
	}
	return syscall.EACCES
}

// OpenFile implements FS. Files are created 0600 whatever perm says: the
// directory belongs to the person running the simulator.
func (d *DirFS) OpenFile(name string, flag int, perm fs.FileMode) (File, error) {
	if name == "" {
		return nil, syscall.ENOENT
	}
	f, err := d.root.OpenFile(rel(name), flag, 0o600)
	if err != nil {
		return nil, confine(err)
	}
	return dirFile{f}, nil
}

// ReadFile implements FS.
func (d *DirFS) ReadFile(name string) ([]byte, error) {
	b, err := d.root.ReadFile(rel(name))
	return b, confine(err)
}

// WriteFile implements FS.
func (d *DirFS) WriteFile(name string, data []byte, perm fs.FileMode) error {
	return confine(d.root.WriteFile(rel(name), data, 0o600))
}

// MkdirAll implements FS.
func (d *DirFS) MkdirAll(name string, perm fs.FileMode) error {
	return confine(d.root.MkdirAll(rel(name), 0o700))
}

// dirFile is an open file of a DirFS; its errors are the guest's errnos.
type dirFile struct{ f *os.File }

func (f dirFile) Read(b []byte) (int, error) {
	n, err := f.f.Read(b)
	if err != nil && n == 0 && !errors.Is(err, io.EOF) {
		return n, confine(err)
	}
	return n, err
}

func (f dirFile) Write(b []byte) (int, error) {
	n, err := f.f.Write(b)
	return n, confine(err)
}

func (f dirFile) Seek(off int64, whence int) (int64, error) {
	n, err := f.f.Seek(off, whence)
	return n, confine(err)
}

func (f dirFile) Close() error { return f.f.Close() }
