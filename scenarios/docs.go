package scenarios

import (
	"fmt"
	"strings"

	"github.com/qgasim/qgasim/sim/fault"
	"github.com/qgasim/qgasim/sim/link"
)

// The docs' tables of keys and fault parameters are generated from the
// same tables the loader reads with, between marker lines:
//
//	<!-- begin generated: NAME -->
//	...
//	<!-- end generated: NAME -->
//
// TestGeneratedFiles checks that docs/scenario-format.md and
// docs/faults.md are current; go test ./scenarios -update rewrites them.

// docTables are the generated tables by name.
func docTables() map[string]string {
	return map[string]string{
		"top":          topSection.table(),
		"agent":        agentSection.table(),
		"guest":        guestTables(),
		"client":       clientSection.table(),
		"link":         linkTable(),
		"fault-keys":   keyTable(faultKeys),
		"trigger-keys": keyTable(triggerKeys),
		"step-keys":    keyTable(stepKeys),
		"expect":       expectSection.table(),
		"requests":     requestSection.table(),
		"resyncs":      resyncSection.table(),
		"lost-bytes":   lostBytesSection.table(),
		"fault-kinds":  kindTable(),
		"fault-params": paramTable(),
		"transports":   transportTable(),
	}
}

func linkTable() string {
	t := dirSection.table()
	return t + "| `to-agent` | mapping | | the keys above for the host-to-agent direction only |\n" +
		"| `to-host` | mapping | | the keys above for the agent-to-host direction only |\n"
}

// transportTable is sim/link's transports: what each does, and its
// defaults.
func transportTable() string {
	var b strings.Builder
	b.WriteString("| transport | what it does | defaults | port events | \"Illegal seek\" |\n|---|---|---|---|---|\n")
	yes := map[bool]string{true: "yes", false: "no"}
	for _, t := range link.AllTransports() {
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s |\n", t.Name(), t.Doc(), paramWords(t), yes[t.PortEvents()], yes[t.Seekable()])
	}
	return b.String()
}

// paramWords says a transport's link defaults in a few words.
func paramWords(t link.Transport) string {
	h, a := t.Defaults(link.H2A), t.Defaults(link.A2H)
	var parts []string
	parts = append(parts, "latency "+fmtDuration(h.Latency))
	if h.Jitter > 0 {
		parts = append(parts, "jitter "+fmtDuration(h.Jitter))
	}
	if h.Baud > 0 {
		parts = append(parts, fmt.Sprintf("%d baud", h.Baud))
	}
	if a.Capacity > 0 {
		parts = append(parts, fmt.Sprintf("to-host capacity %d", a.Capacity))
	}
	return strings.Join(parts, ", ")
}

func keyTable(keys []struct{ name, typ, doc string }) string {
	var b strings.Builder
	b.WriteString("| key | type | meaning |\n|---|---|---|\n")
	for _, k := range keys {
		fmt.Fprintf(&b, "| `%s` | %s | %s |\n", k.name, k.typ, k.doc)
	}
	return b.String()
}

func kindTable() string {
	var b strings.Builder
	b.WriteString("| kind | direction | with no trigger | what it does |\n|---|---|---|---|\n")
	for _, name := range FaultKinds() {
		k, _ := fault.Lookup(name)
		mode := "needs a trigger"
		if k.Continuous {
			mode = "runs all the time"
		}
		fmt.Fprintf(&b, "| `%s` | `%s` | %s | %s |\n", k.Name, directionWords[k.Dir.String()], mode, k.Doc)
	}
	return b.String()
}

func paramTable() string {
	var b strings.Builder
	b.WriteString("| kind | parameter | type | range | default | meaning |\n|---|---|---|---|---|---|\n")
	for _, name := range FaultKinds() {
		k, _ := fault.Lookup(name)
		if len(k.Params) == 0 {
			fmt.Fprintf(&b, "| `%s` | none | | | | |\n", k.Name)
		}
		for _, p := range k.Params {
			rng := ""
			switch p.Type {
			case fault.Number, fault.Integer:
				rng = fmtNum(p.Min) + ".." + fmtNum(p.Max)
				if p.Unit != "" {
					rng += " " + p.Unit
				}
			case fault.Duration:
				rng = "≥ 0"
			case fault.Bytes:
				rng = fmt.Sprintf("at least %s byte(s)", fmtNum(p.Min))
			}
			fmt.Fprintf(&b, "| `%s` | `%s` | %s | %s | `%s` | %s |\n", k.Name, p.Name, p.Type, rng, paramDefault(p), p.Doc)
		}
	}
	return b.String()
}

// fillDoc replaces the generated tables of a Markdown document; it reports
// a marker without its end, or a table name it does not know.
func fillDoc(doc string, tables map[string]string) (string, error) {
	const begin, end = "<!-- begin generated: ", "<!-- end generated: "
	var out strings.Builder
	for {
		i := strings.Index(doc, begin)
		if i < 0 {
			out.WriteString(doc)
			return out.String(), nil
		}
		j := strings.Index(doc[i:], " -->\n")
		if j < 0 {
			return "", fmt.Errorf("a begin marker without its end at byte %d", i)
		}
		name := doc[i+len(begin) : i+j]
		table, ok := tables[name]
		if !ok {
			return "", fmt.Errorf("no generated table %q", name)
		}
		closing := end + name + " -->\n"
		k := strings.Index(doc[i:], closing)
		if k < 0 {
			return "", fmt.Errorf("no %q", strings.TrimSpace(closing))
		}
		out.WriteString(doc[:i+j+len(" -->\n")])
		out.WriteString(table)
		out.WriteString(closing)
		doc = doc[i+k+len(closing):]
	}
}
