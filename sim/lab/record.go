package lab

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
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
//	sum STEP CONN LEN SHA256HEX "first 64 bytes" "last 64 bytes"
//	...
//
// A read longer than longRead is kept as its length and SHA-256 (a sum
// line), so that a 2.6 MB reply does not go into the repository.

// longRead is the longest read a recording keeps byte for byte.
const longRead = 16 << 10

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
			switch {
			case r.Sum != nil:
				fmt.Fprintf(&b, "sum %d %s %d %x %s %s\n", r.Step+1, r.Conn, r.Len, *r.Sum, Quote(r.Data[:min(64, len(r.Data))]), Quote(r.Data[max(0, len(r.Data)-64):]))
			case len(r.Data) > longRead:
				sum := sha256.Sum256(r.Data)
				fmt.Fprintf(&b, "sum %d %s %d %x %s %s\n", r.Step+1, r.Conn, len(r.Data), sum, Quote(r.Data[:64]), Quote(r.Data[len(r.Data)-64:]))
			default:
				fmt.Fprintf(&b, "read %d %s %s\n", r.Step+1, r.Conn, Quote(r.Data))
			}
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
		case strings.HasPrefix(line, "sum ") && len(outs) > 0:
			f := strings.SplitN(line, " ", 7)
			if len(f) != 7 {
				return nil, fmt.Errorf("%s:%d: bad sum line", path, n)
			}
			step, err1 := strconv.Atoi(f[1])
			size, err2 := strconv.Atoi(f[3])
			h, err3 := hex.DecodeString(f[4])
			if err1 != nil || err2 != nil || err3 != nil || len(h) != 32 {
				return nil, fmt.Errorf("%s:%d: bad sum line", path, n)
			}
			head, tail, ok := strings.Cut(f[5]+" "+f[6], `" "`)
			if !ok {
				return nil, fmt.Errorf("%s:%d: bad sum line", path, n)
			}
			hb, err1 := Unquote(head + `"`)
			tb, err2 := Unquote(`"` + tail)
			if err1 != nil || err2 != nil {
				return nil, fmt.Errorf("%s:%d: bad quoted bytes", path, n)
			}
			var sum [32]byte
			copy(sum[:], h)
			t := &outs[len(outs)-1]
			t.Reads = append(t.Reads, Recv{Step: step - 1, Conn: f[2], Data: append(hb, tb...), Sum: &sum, Len: size})
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
