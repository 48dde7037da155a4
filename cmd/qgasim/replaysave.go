package main

import (
	"bytes"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/qgasim/qgasim/sim/fault"
	"github.com/qgasim/qgasim/sim/live"
)

// This file writes the scenario that replay --save makes: a minimal YAML
// emitter for this one shape (the scenario's own agent and link sections
// copied as written, a client that does nothing by itself, the recorded
// host writes as raw steps at their times, the fault firings as faults
// that fire once). It should move to the scenario model's writer when
// there is one.

// reproScenario is a recorded session as a scenario file.
func reproScenario(name, desc string, seed uint64, transport string, source []byte, rec *live.Recording, faults []fault.Spec) []byte {
	var b bytes.Buffer
	fmt.Fprintln(&b, "# Written by qgasim replay --save: the recorded host's bytes at their times and")
	fmt.Fprintln(&b, "# the faults as they fired. 'qgasim run' replays the session in virtual time.")
	fmt.Fprintln(&b, "version: 1")
	fmt.Fprintf(&b, "name: %s\n", yamlString(name))
	fmt.Fprintln(&b, "description: |")
	for _, line := range strings.Split(strings.TrimSpace(desc), "\n") {
		fmt.Fprintf(&b, "  %s\n", line)
	}
	fmt.Fprintf(&b, "seed: %d\n", seed)
	end := time.Duration(rec.End).Round(time.Second) + 2*time.Second
	fmt.Fprintf(&b, "duration: %s\n", end)
	fmt.Fprintf(&b, "transport: %s\n", transport)
	for _, key := range []string{"agent", "link"} {
		if sec := topSection(source, key); sec != "" {
			b.WriteString(sec)
		}
	}
	fmt.Fprintln(&b, "client:")
	fmt.Fprintln(&b, "  strategy: none  # the steps write the recorded bytes past the client")
	if len(faults) > 0 {
		fmt.Fprintln(&b, "faults:")
		for _, f := range faults {
			writeFault(&b, f)
		}
	}
	fmt.Fprintln(&b, "steps:")
	var now int64
	open, first := true, true // the World opens the channel at time 0
	step := func(t int64, line string) {
		if t > now {
			fmt.Fprintf(&b, "  - sleep: %s\n", time.Duration(t-now))
			now = t
		}
		fmt.Fprintf(&b, "  - %s\n", line)
	}
	for _, a := range rec.Host {
		switch a.Kind {
		case "connect":
			if first && a.T == 0 {
				first = false
				continue
			}
			if first {
				step(0, "disconnect: true  # the recorded client connected later")
			}
			first = false
			step(a.T, "reconnect: true")
			open = true
		case "write":
			if !open {
				continue // the write failed when recorded: no channel
			}
			step(a.T, "raw: "+yamlBytes(a.Bytes))
		case "close":
			if a.ByHost && open {
				step(a.T, "disconnect: true")
			}
			open = false
		}
	}
	if len(rec.Host) == 0 {
		fmt.Fprintln(&b, "  - note: the recording has no host actions")
	}
	return b.Bytes()
}

// writeFault writes one fault entry.
func writeFault(b *bytes.Buffer, f fault.Spec) {
	fmt.Fprintf(b, "  - kind: %s\n", f.Kind)
	fmt.Fprintf(b, "    name: %s\n", yamlString(f.Name))
	switch f.Dir {
	case "h2a":
		fmt.Fprintln(b, "    direction: to-agent")
	case "a2h":
		fmt.Fprintln(b, "    direction: to-host")
	}
	keys := make([]string, 0, len(f.Params))
	for k := range f.Params {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		switch v := f.Params[k].(type) {
		case float64:
			fmt.Fprintf(b, "    %s: %s\n", k, strconv.FormatFloat(v, 'g', -1, 64))
		case string:
			fmt.Fprintf(b, "    %s: %s\n", k, yamlString(v))
		default:
			fmt.Fprintf(b, "    %s: %s\n", k, yamlString(fmt.Sprint(v)))
		}
	}
	t := f.Trigger
	switch {
	case t.AfterBytes != nil:
		fmt.Fprintf(b, "    trigger: {after-bytes: %d, max-count: 1}\n", *t.AfterBytes)
	case t.At != nil:
		fmt.Fprintf(b, "    trigger: {at: %s, max-count: 1}\n", *t.At)
	}
}

// yamlString is s in single quotes.
func yamlString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// yamlBytes is a byte string as the scenario format reads it: single
// quotes, printable ASCII as is, \\ for a backslash, \xNN for the rest.
func yamlBytes(p []byte) string {
	var b strings.Builder
	b.WriteByte('\'')
	for _, c := range p {
		switch {
		case c == '\'':
			b.WriteString("''")
		case c == '\\':
			b.WriteString(`\\`)
		case c >= 0x20 && c < 0x7f:
			b.WriteByte(c)
		default:
			fmt.Fprintf(&b, `\x%02x`, c)
		}
	}
	b.WriteByte('\'')
	return b.String()
}

// topSection is a top-level section of a YAML file as written (the key's
// line and every line under it, up to the next line that starts at column
// 0), or "" when there is none.
func topSection(src []byte, key string) string {
	lines := strings.SplitAfter(string(src), "\n")
	var out strings.Builder
	in := false
	for _, l := range lines {
		top := len(l) > 0 && l[0] != ' ' && l[0] != '\t' && l[0] != '#' && l[0] != '\n' && l[0] != '\r'
		if top {
			if in {
				break
			}
			if strings.HasPrefix(l, key+":") {
				in = true
			}
		}
		if in {
			out.WriteString(l)
		}
	}
	s := out.String()
	if s != "" && !strings.HasSuffix(s, "\n") {
		s += "\n"
	}
	return s
}
