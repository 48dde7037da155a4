package outfile

import "io"

// Checked is a writer that remembers its first error. Code that prints a
// report with fmt.Fprintf and friends can ignore each call's error and ask
// Err once at the end: a result is never lost silently. After an error
// every write fails at once with the same error, so a report is never
// half-written past a gap.
type Checked struct {
	w   io.Writer
	err error
}

// NewChecked wraps w.
func NewChecked(w io.Writer) *Checked { return &Checked{w: w} }

// Write writes to the underlying writer, or returns the first error.
// A short write without an error is an error (io.ErrShortWrite).
func (c *Checked) Write(p []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	n, err := c.w.Write(p)
	if err == nil && n < len(p) {
		err = io.ErrShortWrite
	}
	if err != nil {
		c.err = err
	}
	return n, err
}

// Err is the first write error, or nil.
func (c *Checked) Err() error { return c.err }
