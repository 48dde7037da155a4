package outfile

import (
	"fmt"
	"os"
)

// OpenLog opens a log file for appending, as a log is kept (qemu-ga's
// --logfile appends too): it is created if need be and never truncated.
// What Create refuses, it refuses: a directory, and one of inputs (a log
// appended to the scenario it runs would break the file for its next
// load). The check is made again on the opened file, so that a path
// swapped in between cannot slip through.
func OpenLog(path string, inputs []string) (*os.File, error) {
	if fi, err := os.Stat(path); err == nil {
		if fi.IsDir() {
			return nil, fmt.Errorf("%s is a directory: name a file", path)
		}
		if err := notAnInput(path, fi, inputs); err != nil {
			return nil, err
		}
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o666)
	if err != nil {
		return nil, err
	}
	fi, err := f.Stat()
	if err == nil {
		err = notAnInput(path, fi, inputs)
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}
