package scenarios

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/goccy/go-yaml/token"

	"github.com/qgasim/qgasim/sim/trace"
)

// ynode is a value the writer emits: a scalar already in its YAML form, a
// literal block, a mapping or a list.
type ynode struct {
	scalar string   // a scalar as written: plain or quoted, safe anywhere
	str    *string  // a string to quote where it is written (in a flow or not)
	block  string   // a literal block's text (a multi-line string)
	keys   []string // a mapping's keys, in order
	vals   []*ynode
	items  []*ynode // a list
	isMap  bool
	isList bool
	flow   bool // on one line: {a: 1, b: 2}, [a, b]
}

func mapNode() *ynode                   { return &ynode{isMap: true} }
func listNode(items ...*ynode) *ynode   { return &ynode{isList: true, items: items} }
func scalarNode(s string) *ynode        { return &ynode{scalar: s} }
func strNode(s string) *ynode           { return &ynode{str: &s} }
func (n *ynode) add(k string, v *ynode) { n.keys, n.vals = append(n.keys, k), append(n.vals, v) }

// nodeList is a list of items, each written by node, and whether it has
// any (an empty list is left out of the file).
func nodeList[T any](items []T, node func(T) *ynode) (*ynode, bool) {
	l := listNode()
	for _, it := range items {
		l.items = append(l.items, node(it))
	}
	return l, len(l.items) > 0
}

// flowable reports a node that can be written on one line.
func (n *ynode) flowable() bool {
	switch {
	case n.block != "":
		return false
	case n.isMap:
		for _, v := range n.vals {
			if !v.flowable() {
				return false
			}
		}
	case n.isList:
		for _, v := range n.items {
			if !v.flowable() {
				return false
			}
		}
	}
	return true
}

// emitter writes nodes as block YAML, two spaces an indentation level, as
// the library's files are written.
type emitter struct{ b strings.Builder }

func (e *emitter) indent(n int) { e.b.WriteString(strings.Repeat(" ", n)) }

// mapping writes the keys of m at indentation ind; first, when not
// empty, replaces the indentation of the first line (a list item's "- ").
func (e *emitter) mapping(m *ynode, ind int, first string) {
	for i, k := range m.keys {
		if i == 0 && first != "" {
			e.b.WriteString(first)
		} else {
			e.indent(ind)
		}
		e.b.WriteString(yamlString(k, false))
		e.b.WriteByte(':')
		e.value(m.vals[i], ind)
	}
}

// value writes what follows "key:" (or "-") at indentation ind.
func (e *emitter) value(v *ynode, ind int) {
	switch {
	case v.block != "":
		e.literal(v.block, ind+2)
	case (v.isMap && len(v.keys) == 0) || (v.isList && len(v.items) == 0):
		e.b.WriteString(" " + flowText(v) + "\n")
	case v.str != nil:
		e.b.WriteString(" " + yamlString(*v.str, false) + "\n")
	case v.flow || (!v.isMap && !v.isList):
		e.b.WriteString(" " + flowText(v) + "\n")
	case v.isMap:
		e.b.WriteByte('\n')
		e.mapping(v, ind+2, "")
	case v.isList:
		e.b.WriteByte('\n')
		e.list(v, ind+2)
	}
}

func (e *emitter) list(l *ynode, ind int) {
	for _, it := range l.items {
		switch {
		case it.isMap && len(it.keys) > 0 && !it.flow:
			e.mapping(it, ind+2, strings.Repeat(" ", ind)+"- ")
		default:
			e.indent(ind)
			e.b.WriteByte('-')
			e.value(it, ind)
		}
	}
}

// literal writes a multi-line string as a literal block: "|" keeps one
// final line break, "|-" none, "|+" all of them.
func (e *emitter) literal(s string, ind int) {
	chomp := "-"
	body := s
	switch {
	case strings.HasSuffix(s, "\n\n"):
		chomp = "+"
		body = s[:len(s)-1]
	case strings.HasSuffix(s, "\n"):
		chomp = ""
		body = s[:len(s)-1]
	}
	e.b.WriteString(" |" + chomp + "\n")
	for _, line := range strings.Split(body, "\n") {
		if line != "" {
			e.indent(ind)
			e.b.WriteString(line)
		}
		e.b.WriteByte('\n')
	}
}

// flowText writes a node on one line.
func flowText(n *ynode) string {
	switch {
	case n.isMap:
		parts := make([]string, len(n.keys))
		for i, k := range n.keys {
			parts[i] = yamlString(k, true) + ": " + flowText(n.vals[i])
		}
		return "{" + strings.Join(parts, ", ") + "}"
	case n.isList:
		parts := make([]string, len(n.items))
		for i, it := range n.items {
			parts[i] = flowText(it)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case n.str != nil:
		return yamlString(*n.str, true)
	}
	return n.scalar
}

// literalOK reports a string that a literal block keeps exactly: a line
// break in it, printable, no carriage return, no line that starts with a space
// or a tab ahead of the block's indentation where it would change it, and
// no trailing spaces a reader could lose.
func literalOK(s string) bool {
	if !strings.Contains(s, "\n") || strings.HasPrefix(s, "\n") {
		return false
	}
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if lines[0] == "" || lines[0][0] == ' ' || lines[0][0] == '\t' {
		return false
	}
	for _, l := range lines {
		if strings.TrimRight(l, " \t") != l || (l != "" && strings.TrimSpace(l) == "") {
			return false
		}
		for _, r := range l {
			if r == '\t' || !printableRune(r) {
				return false
			}
		}
	}
	return true
}

// text is a string value: a literal block for prose on several lines,
// otherwise a scalar.
func text(s string) *ynode {
	if literalOK(s) {
		return &ynode{block: s}
	}
	return strNode(s)
}

// yamlString writes a string as a YAML scalar that reads back as the same
// string: plain when nothing in it means anything to YAML, else in single
// quotes, else (control characters, line breaks) in double quotes with
// YAML's escapes. inFlow is for a scalar inside {...} or [...].
func yamlString(s string, inFlow bool) string {
	if plainOK(s, inFlow) {
		return s
	}
	for _, r := range s {
		if !printableRune(r) {
			return doubleQuoted(s)
		}
	}
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

// plainOK is a conservative test for a plain scalar: letters, digits,
// spaces and marks that mean nothing to YAML where they stand, and not a
// word or number YAML would read as something other than a string.
func plainOK(s string, inFlow bool) bool {
	if s == "" || s != strings.TrimSpace(s) || strings.Contains(s, "  ") {
		return false
	}
	for i, r := range s {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == ' ':
			if r >= utf8.RuneSelf && !printableRune(r) {
				return false
			}
		case strings.ContainsRune("_./()+", r):
		case strings.ContainsRune("-;'\"?!%=", r):
			if i == 0 { // an indicator at the start
				return false
			}
		case r == ',' && !inFlow:
		default:
			return false
		}
	}
	if coreFloat.MatchString(s) {
		return false
	}
	tk := token.New(s, s, &token.Position{})
	return tk != nil && tk.Type == token.StringType
}

// printableRune is YAML's printable set, without tab and line breaks.
func printableRune(r rune) bool {
	switch {
	case r >= 0x20 && r <= 0x7e:
		return true
	case r == 0x85 || r == 0x2028 || r == 0x2029 || r == 0xfeff:
		return false // line breaks to YAML, or a byte order mark
	case r >= 0xa0 && r <= 0xd7ff, r >= 0xe000 && r <= 0xfffd, r >= 0x10000 && r <= 0x10ffff:
		return unicode.IsPrint(r) || unicode.IsLetter(r)
	}
	return false
}

// doubleQuoted writes s in double quotes with YAML's escapes.
func doubleQuoted(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\r':
			b.WriteString(`\r`)
		case printableRune(r):
			b.WriteRune(r)
		case r <= 0xff:
			fmt.Fprintf(&b, `\x%02x`, r)
		case r <= 0xffff:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			fmt.Fprintf(&b, `\U%08x`, r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// byteScalar writes bytes in single quotes with qgasim's byte escapes
// (trace.QuoteText): single quotes leave the escapes to the byte grammar.
func byteScalar(b []byte) string {
	return "'" + strings.ReplaceAll(trace.QuoteText(b), "'", "''") + "'"
}

// fmtDuration writes a duration exactly, as people write one: the largest
// unit that divides it ("90s", "1500ms", "2h"), or seconds with a fraction
// ("2.000000001s").
func fmtDuration(d time.Duration) string {
	if d == 0 {
		return "0s"
	}
	for _, u := range []struct {
		d    time.Duration
		name string
	}{{time.Hour, "h"}, {time.Minute, "m"}, {time.Second, "s"}, {time.Millisecond, "ms"}} {
		if d%u.d == 0 {
			return strconv.FormatInt(int64(d/u.d), 10) + u.name
		}
	}
	if d >= time.Second {
		frac := strings.TrimRight(fmt.Sprintf("%09d", int64(d%time.Second)), "0")
		return strconv.FormatInt(int64(d/time.Second), 10) + "." + frac + "s"
	}
	if d%time.Microsecond == 0 {
		return strconv.FormatInt(int64(d/time.Microsecond), 10) + "us"
	}
	return strconv.FormatInt(int64(d), 10) + "ns"
}
