package lab

import (
	"fmt"
	"io"
	"sort"
	"strings"
)

// Archive is an initramfs being put together: a newc ("070701") cpio image
// in memory, the format the Linux kernel unpacks into its rootfs. Entries
// are kept by path and written parents first, so callers may add them in any
// order; every parent directory is made on the way.
type Archive struct {
	entries map[string]entry
}

type entry struct {
	mode  uint32 // file type and permission bits, as in st_mode
	data  []byte // file contents, or the target of a symlink
	major uint32 // device numbers of a character device
	minor uint32
}

// File type bits of st_mode.
const (
	modeDir     = 0o040000
	modeFile    = 0o100000
	modeSymlink = 0o120000
	modeCharDev = 0o020000
)

// NewArchive returns an empty archive.
func NewArchive() *Archive { return &Archive{entries: map[string]entry{}} }

func cleanPath(p string) string { return strings.Trim(p, "/") }

// Dir adds a directory (and its parents).
func (a *Archive) Dir(p string) {
	p = cleanPath(p)
	if p == "" || p == "." {
		return
	}
	if _, ok := a.entries[p]; ok {
		return
	}
	if i := strings.LastIndexByte(p, '/'); i > 0 {
		a.Dir(p[:i])
	}
	a.entries[p] = entry{mode: modeDir | 0o755}
}

func (a *Archive) parent(p string) {
	if i := strings.LastIndexByte(p, '/'); i > 0 {
		a.Dir(p[:i])
	}
}

// File adds a regular file with permission bits perm.
func (a *Archive) File(p string, data []byte, perm uint32) {
	p = cleanPath(p)
	a.parent(p)
	a.entries[p] = entry{mode: modeFile | perm&0o7777, data: data}
}

// Symlink adds a symbolic link at p pointing to target.
func (a *Archive) Symlink(p, target string) {
	p = cleanPath(p)
	a.parent(p)
	a.entries[p] = entry{mode: modeSymlink | 0o777, data: []byte(target)}
}

// CharDev adds a character device node.
func (a *Archive) CharDev(p string, major, minor uint32, perm uint32) {
	p = cleanPath(p)
	a.parent(p)
	a.entries[p] = entry{mode: modeCharDev | perm&0o7777, major: major, minor: minor}
}

// Has reports whether p is in the archive.
func (a *Archive) Has(p string) bool { _, ok := a.entries[cleanPath(p)]; return ok }

// WriteTo writes the archive in newc format. Paths are sorted, so a parent
// always precedes its children and the same content gives the same bytes;
// every mtime is 0 for the same reason.
func (a *Archive) WriteTo(w io.Writer) (int64, error) {
	paths := make([]string, 0, len(a.entries))
	for p := range a.entries {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	cw := &countWriter{w: w}
	for i, p := range paths {
		e := a.entries[p]
		if err := writeEntry(cw, uint32(i+1), p, e); err != nil {
			return cw.n, err
		}
	}
	err := writeEntry(cw, 0, "TRAILER!!!", entry{})
	return cw.n, err
}

func writeEntry(w *countWriter, ino uint32, name string, e entry) error {
	nlink := uint32(1)
	if e.mode&0o170000 == modeDir {
		nlink = 2
	}
	// 13 fields of 8 hex digits: ino mode uid gid nlink mtime filesize
	// devmajor devminor rdevmajor rdevminor namesize check.
	hdr := fmt.Sprintf("070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
		ino, e.mode, 0, 0, nlink, 0, len(e.data), 0, 0, e.major, e.minor, len(name)+1, 0)
	if _, err := io.WriteString(w, hdr+name+"\x00"); err != nil {
		return err
	}
	if err := w.pad(); err != nil {
		return err
	}
	if _, err := w.Write(e.data); err != nil {
		return err
	}
	return w.pad()
}

// countWriter counts bytes so that headers and data can be padded to 4.
type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

func (c *countWriter) pad() error {
	if r := c.n % 4; r != 0 {
		_, err := c.Write(make([]byte, 4-r))
		return err
	}
	return nil
}
