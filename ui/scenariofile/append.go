package scenariofile

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/qgasim/qgasim/sim/fault"
)

// Entry is one fault to add: what, and when it fires (once).
type Entry struct {
	At      time.Duration
	Spec    fault.Spec
	Comment string // put after the kind, e.g. "by hand: key d"
}

var (
	faultsLine = regexp.MustCompile(`^faults:\s*(#.*)?$`)
	emptyList  = regexp.MustCompile(`^faults:\s*\[\s*\]\s*(#.*)?$`)
	seedLine   = regexp.MustCompile(`^seed:.*$`)
	itemLine   = regexp.MustCompile(`^(\s*)- `)
)

// directions are the scenario's words for the link's directions.
var directions = map[string]string{"h2a": "to-agent", "a2h": "to-host"}

// Changes are the run's settings that differ from the file's.
type Changes struct {
	Seed     *uint64 // the --seed of the run, nil: the file's
	Strategy string  // the client strategy the run ended with, "": the file's
}

// Append returns src with the entries added to its faults and the changed
// settings written in.
func Append(src []byte, ch Changes, entries []Entry) ([]byte, error) {
	text := strings.ReplaceAll(string(src), "\r\n", "\n")
	lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
	if ch.Strategy != "" {
		lines = setStrategy(lines, ch.Strategy)
	}
	if seed := ch.Seed; seed != nil {
		s := "seed: " + strconv.FormatUint(*seed, 10)
		found := false
		for i, l := range lines {
			if seedLine.MatchString(l) {
				lines[i], found = s, true
				break
			}
		}
		if !found {
			lines = append(lines, s)
		}
	}
	if len(entries) > 0 {
		var err error
		if lines, err = addFaults(lines, entries); err != nil {
			return nil, err
		}
	}
	head := fmt.Sprintf("# saved by qgasim tui: %d fault(s) injected by hand, at the end of faults:", len(entries))
	return []byte(head + "\n" + strings.Join(lines, "\n") + "\n"), nil
}

func addFaults(lines []string, entries []Entry) ([]string, error) {
	at := -1
	for i, l := range lines {
		if faultsLine.MatchString(l) || emptyList.MatchString(l) {
			at = i
			break
		}
	}
	if at < 0 {
		lines = append(lines, "faults:")
		return append(lines, render(entries, "  ")...), nil
	}
	if emptyList.MatchString(lines[at]) {
		lines[at] = "faults:"
	}
	// The list runs while lines are indented, blank, comments, or items at
	// column 0 (a sequence may sit at its key's indentation).
	indent := ""
	end := at + 1
	last := at // last line that belongs to an entry
	for ; end < len(lines); end++ {
		l := lines[end]
		trim := strings.TrimSpace(l)
		switch {
		case trim == "" || strings.HasPrefix(trim, "#"):
			continue
		case l[0] == ' ' || l[0] == '\t' || strings.HasPrefix(l, "- "):
			if m := itemLine.FindStringSubmatch(l); m != nil && indent == "" && last == at {
				indent = m[1]
			}
			last = end
			continue
		}
		break
	}
	if last == at {
		indent = "  "
	}
	if strings.Contains(indent, "\t") {
		return nil, fmt.Errorf("scenariofile: the faults list is indented with tabs")
	}
	out := append([]string(nil), lines[:last+1]...)
	out = append(out, render(entries, indent)...)
	return append(out, lines[last+1:]...), nil
}

// render writes entries as YAML list items at the given indentation.
func render(entries []Entry, indent string) []string {
	var out []string
	for _, e := range entries {
		s := e.Spec
		first := indent + "- kind: " + s.Kind
		if e.Comment != "" {
			first += "   # " + e.Comment
		}
		out = append(out, first)
		in := indent + "  "
		if d, ok := directions[s.Dir]; ok {
			out = append(out, in+"direction: "+d)
		}
		keys := make([]string, 0, len(s.Params))
		for k := range s.Params {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			out = append(out, in+k+": "+scalar(s.Params[k]))
		}
		out = append(out, in+"trigger: {at: "+e.At.String()+", max-count: 1}")
	}
	return out
}

// scalar writes a parameter value as the scenario loader reads it.
func scalar(v fault.Value) string {
	switch v.Type {
	case fault.Bytes:
		return quote(v.Bytes)
	case fault.Duration:
		return v.Dur.String()
	case fault.Number:
		return strconv.FormatFloat(v.Num, 'g', -1, 64)
	}
	return fmt.Sprint(v.Int)
}

// quote writes bytes as a double-quoted YAML string: printable ASCII as
// is, a quote and a backslash escaped, any other byte as \xNN.
func quote(b []byte) string {
	var s strings.Builder
	s.WriteByte('"')
	for _, c := range b {
		switch {
		case c == '"' || c == '\\':
			s.WriteByte('\\')
			s.WriteByte(c)
		case c >= 0x20 && c < 0x7f:
			s.WriteByte(c)
		default:
			fmt.Fprintf(&s, "\\x%02x", c)
		}
	}
	s.WriteByte('"')
	return s.String()
}

var (
	clientLine   = regexp.MustCompile(`^client:\s*(#.*)?$`)
	strategyLine = regexp.MustCompile(`^(\s+)strategy:\s*[^\s#]*(\s*#.*)?$`)
)

// setStrategy sets client.strategy: the value of the line if there is one,
// else a new line under client:, else a new client: block.
func setStrategy(lines []string, name string) []string {
	for i, l := range lines {
		if !clientLine.MatchString(l) {
			continue
		}
		// The block is the indented lines after client:; its keys share
		// the indentation of the first one.
		indent := ""
		for j := i + 1; j < len(lines); j++ {
			lj := lines[j]
			trim := strings.TrimSpace(lj)
			if trim == "" || strings.HasPrefix(trim, "#") {
				continue
			}
			if lj[0] != ' ' {
				break
			}
			lead := lj[:len(lj)-len(strings.TrimLeft(lj, " "))]
			if indent == "" {
				indent = lead
			}
			if m := strategyLine.FindStringSubmatch(lj); m != nil && lead == indent {
				lines[j] = indent + "strategy: " + name + m[2]
				return lines
			}
		}
		if indent == "" {
			indent = "  "
		}
		out := append([]string(nil), lines[:i+1]...)
		out = append(out, indent+"strategy: "+name)
		return append(out, lines[i+1:]...)
	}
	return append(lines, "client:", "  strategy: "+name)
}
