package outfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// CreateLive opens an output that must be readable while it is written (a
// live session's trace, followed with `tail -f`), so it cannot go through a
// temporary file. To keep the promise that nothing the user owns is
// overwritten, it never replaces anything: a path that exists is refused
// (unless it is not a regular file, such as /dev/null or a named pipe,
// which is written directly), and a new file is created with O_EXCL. "-"
// is standard output. Commit closes it; Abort closes it and leaves what was
// written (a cut trace is still a trace up to its last line).
func CreateLive(path string, opts Options) (*File, error) {
	if path == "" {
		return nil, errors.New("no output file named")
	}
	if path == Stdout {
		return Create(path, opts)
	}
	fi, err := os.Stat(path)
	switch {
	case err == nil && fi.IsDir():
		return nil, fmt.Errorf("%s is a directory: name a file", path)
	case err == nil && fi.Mode().IsRegular():
		return nil, fmt.Errorf("%s exists: a live output is written as it happens and never replaces a file; remove it or name another", path)
	case err == nil:
		if err := notAnInput(path, fi, opts.Inputs); err != nil {
			return nil, err
		}
		f, err := os.OpenFile(path, os.O_WRONLY, 0)
		if err != nil {
			return nil, err
		}
		return &File{target: path, f: f, w: NewChecked(f), opts: opts}, nil
	case !errors.Is(err, fs.ErrNotExist):
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o666)
	if err != nil {
		return nil, fmt.Errorf("cannot write %s: %w", path, err)
	}
	return &File{target: path, f: f, w: NewChecked(f), opts: opts}, nil
}
