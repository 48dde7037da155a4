package lab

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// Recorded transcripts of the real guest live in testdata/real, one file
// per experiment and transport, so that the everyday go test compares the
// simulator with the real guest's bytes without booting it. A file holds
// every distinct outcome recorded (a racy experiment may have several):
//
//	# comment
//	outcome
//	read STEP CONN "quoted bytes"
//	...

// RecordFile is the recorded file of an experiment on a transport.
func RecordFile(dir, exp, transport string) string {
	return fmt.Sprintf("%s/%s-%s.txt", dir, exp, transport)
}

// FormatRecord writes outcomes in the recorded format.
func FormatRecord(header string, outs []Transcript) []byte {
	var b bytes.Buffer
	for _, l := range strings.Split(strings.TrimSpace(header), "\n") {
		fmt.Fprintf(&b, "# %s\n", l)
	}
	for _, t := range outs {
		b.WriteString("outcome\n")
		for _, r := range t.Reads {
			fmt.Fprintf(&b, "read %d %s %s\n", r.Step+1, r.Conn, Quote(r.Data))
		}
	}
	return b.Bytes()
}

// ReadRecord reads a recorded file.
func ReadRecord(path string) ([]Transcript, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var outs []Transcript
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64<<10), 16<<20)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
		case line == "outcome":
			outs = append(outs, Transcript{})
		case strings.HasPrefix(line, "read ") && len(outs) > 0:
			f := strings.SplitN(line, " ", 4)
			step, err := strconv.Atoi(f[1])
			if len(f) != 4 || err != nil {
				return nil, fmt.Errorf("%s:%d: bad read line", path, n)
			}
			b, err := Unquote(f[3])
			if err != nil {
				return nil, fmt.Errorf("%s:%d: %v", path, n, err)
			}
			t := &outs[len(outs)-1]
			t.Reads = append(t.Reads, Recv{Step: step - 1, Conn: f[2], Data: b})
		default:
			return nil, fmt.Errorf("%s:%d: unexpected line %q", path, n, line)
		}
	}
	return outs, sc.Err()
}

// Unquote reverses Quote.
func Unquote(q string) ([]byte, error) {
	if len(q) < 2 || q[0] != '"' || q[len(q)-1] != '"' {
		return nil, fmt.Errorf("not quoted: %.40s", q)
	}
	q = q[1 : len(q)-1]
	var b []byte
	for i := 0; i < len(q); i++ {
		c := q[i]
		if c != '\\' {
			b = append(b, c)
			continue
		}
		if i+1 >= len(q) {
			return nil, fmt.Errorf("trailing backslash")
		}
		i++
		switch q[i] {
		case 'n':
			b = append(b, '\n')
		case '"', '\\':
			b = append(b, q[i])
		case 'x':
			if i+2 >= len(q) {
				return nil, fmt.Errorf("short \\x escape")
			}
			v, err := strconv.ParseUint(q[i+1:i+3], 16, 8)
			if err != nil {
				return nil, err
			}
			b = append(b, byte(v))
			i += 2
		default:
			return nil, fmt.Errorf("unknown escape \\%c", q[i])
		}
	}
	return b, nil
}
