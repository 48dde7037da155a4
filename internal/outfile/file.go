package outfile

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
)

// Stdout is the name that means standard output.
const Stdout = "-"

// ErrAborted is what a write to an aborted File returns.
var ErrAborted = errors.New("output aborted")

// Options tell Create what to protect.
type Options struct {
	// Inputs are the files the command reads (a scenario, a trace), and
	// the other outputs it writes: the output must be none of them.
	// Names that do not exist, "" and "-" are ignored.
	Inputs []string
	// Stdout is where "-" writes; Create refuses "-" when it is nil.
	Stdout io.Writer
	// NoClobber refuses a target that exists, up to the last moment:
	// Commit fails with an error that matches fs.ErrExist rather than
	// replace a file that appeared meanwhile.
	NoClobber bool
}

// File is an output being written: Create it before the work, write to it
// as the work goes, then Commit at a successful end or Abort.
//
// Until Commit the bytes go to a temporary file beside the target (in the
// same directory, so that the rename is atomic): the target is never seen
// cut, and an existing target is replaced whole or not at all. A target
// that exists and is not a regular file (a device such as /dev/null, a
// named pipe) is written directly, since renaming over it would replace
// it; a symbolic link is followed, and the file it names is replaced.
type File struct {
	target string // the path written at Commit; "" for standard output
	tmp    string // the temporary file, "" when written directly
	f      *os.File
	w      *Checked
	opts   Options

	mu    sync.Mutex   // orders Commit and Abort
	state atomic.Int32 // open, committed, aborted; read by Write without mu
}

const (
	stateOpen int32 = iota
	stateCommitted
	stateAborted
)

// Create prepares the output path. A bad path (a directory, a directory
// that does not exist or cannot be written, one of the inputs) fails here,
// before any work.
func Create(path string, opts Options) (*File, error) {
	if path == "" {
		return nil, errors.New("no output file named")
	}
	if path == Stdout {
		if opts.Stdout == nil {
			return nil, errors.New("standard output (-) is not available for this output")
		}
		return &File{w: NewChecked(opts.Stdout), opts: opts}, nil
	}
	target := path
	fi, err := os.Stat(path)
	switch {
	case err == nil:
		if fi.IsDir() {
			return nil, fmt.Errorf("%s is a directory: name a file", path)
		}
		if err := notAnInput(path, fi, opts.Inputs); err != nil {
			return nil, err
		}
		if opts.NoClobber {
			return nil, &fs.PathError{Op: "create", Path: path, Err: fs.ErrExist}
		}
		if resolved, err := filepath.EvalSymlinks(path); err == nil {
			target = resolved
		}
		if !fi.Mode().IsRegular() {
			f, err := os.OpenFile(target, os.O_WRONLY, 0)
			if err != nil {
				return nil, err
			}
			return &File{target: target, f: f, w: NewChecked(f), opts: opts}, nil
		}
	case errors.Is(err, fs.ErrNotExist):
		// A dangling symbolic link: create what it names, not a file
		// in its place.
		if dest, lerr := os.Readlink(path); lerr == nil {
			if !filepath.IsAbs(dest) {
				dest = filepath.Join(filepath.Dir(path), dest)
			}
			target = dest
		}
	default:
		return nil, err
	}
	f, tmp, err := createTemp(target)
	if err != nil {
		return nil, err
	}
	if fi != nil && fi.Mode().IsRegular() {
		// Replacing a file keeps its permissions.
		_ = f.Chmod(fi.Mode().Perm())
	}
	return &File{target: target, tmp: tmp, f: f, w: NewChecked(f), opts: opts}, nil
}

// notAnInput refuses a target that is one of the inputs.
func notAnInput(path string, fi fs.FileInfo, inputs []string) error {
	for _, in := range inputs {
		if in == "" || in == Stdout {
			continue
		}
		ii, err := os.Stat(in)
		if err != nil {
			continue
		}
		if os.SameFile(fi, ii) {
			if in == path {
				return fmt.Errorf("%s is an input of this command: refusing to write over it", path)
			}
			return fmt.Errorf("%s is %s, an input of this command: refusing to write over it", path, in)
		}
	}
	return nil
}

// createTemp makes a new file beside target, with the permissions a new
// file gets (0666 less the umask): O_EXCL on a random name, so that
// nothing that exists is touched.
func createTemp(target string) (*os.File, string, error) {
	dir, base := filepath.Split(target)
	for range 100 {
		var r [6]byte
		if _, err := rand.Read(r[:]); err != nil {
			return nil, "", err
		}
		tmp := filepath.Join(dir, "."+base+".tmp-"+hex.EncodeToString(r[:]))
		f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o666)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return nil, "", fmt.Errorf("cannot write %s: %w", target, err)
		}
		return f, tmp, nil
	}
	return nil, "", fmt.Errorf("cannot write %s: no free temporary name beside it", target)
}

// Name is the path the output ends at, or "-".
func (o *File) Name() string {
	if o.target == "" {
		return Stdout
	}
	return o.target
}

// IsStdout tells whether the output is standard output: then the report
// for people goes to standard error.
func (o *File) IsStdout() bool { return o.target == "" }

// Write writes to the output. After the first error, or after Abort, every
// write fails.
func (o *File) Write(p []byte) (int, error) {
	if o.state.Load() != stateOpen {
		return 0, ErrAborted
	}
	return o.w.Write(p)
}

// Err is the first write error, or nil.
func (o *File) Err() error { return o.w.Err() }

// Commit ends a successful output: the data is synced to disk and the
// temporary file renamed over the target. It fails if a write failed, and
// then the target is left as it was. Commit after Commit does nothing.
func (o *File) Commit() error {
	o.mu.Lock()
	defer o.mu.Unlock()
	switch o.state.Load() {
	case stateCommitted:
		return nil
	case stateAborted:
		return ErrAborted
	}
	if err := o.w.Err(); err != nil {
		o.discardLocked()
		return fmt.Errorf("writing %s: %w", o.Name(), err)
	}
	if o.f == nil { // standard output
		o.state.Store(stateCommitted)
		return nil
	}
	err := o.f.Sync()
	if errors.Is(err, errors.ErrUnsupported) || o.tmp == "" {
		err = nil // a device or a pipe has nothing to sync
	}
	if cerr := o.f.Close(); err == nil {
		err = cerr
	}
	if err == nil && o.tmp != "" {
		err = o.rename()
	}
	if err != nil {
		o.discardLocked()
		return fmt.Errorf("writing %s: %w", o.Name(), err)
	}
	o.state.Store(stateCommitted)
	return nil
}

func (o *File) rename() error {
	if o.opts.NoClobber {
		// A hard link fails if the target exists: no window in which
		// a file that appeared is replaced.
		if err := os.Link(o.tmp, o.target); err != nil {
			return err
		}
		_ = os.Remove(o.tmp)
		return nil
	}
	return os.Rename(o.tmp, o.target)
}

// Abort ends a failed or interrupted output: the temporary file is
// removed and the target left as it was. It may be called at any time,
// from any goroutine (a signal handler's), any number of times; after
// Commit it does nothing. It does not wait for a write in progress (a write
// that comes after fails), only for a Commit in progress to end.
func (o *File) Abort() {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.state.Load() == stateOpen {
		o.discardLocked()
	}
}

// discardLocked marks the output aborted, so that writes stop, then
// removes the temporary file by name and closes it (a write in progress
// on another goroutine ends with an error).
func (o *File) discardLocked() {
	o.state.Store(stateAborted)
	if o.tmp != "" {
		_ = os.Remove(o.tmp)
	}
	if o.f != nil {
		_ = o.f.Close()
	}
}
