package scenarios

import (
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/token"

	"github.com/qgasim/qgasim/sim/client"
)

// decoder walks the YAML syntax tree and collects every problem with its
// line and column, instead of stopping at the first as a struct decoder
// would: a person fixing a file wants the whole list at once.
type decoder struct {
	file  string
	src   []byte
	probs Problems
	// refused counts values unwrap refused (anchors, aliases, tags); their
	// readers then see no node, and say nothing more about it.
	refused int
}

// doubleQuotedSource returns the text between the quotes of a double-quoted
// scalar as written in the file (escapes not processed), found from the
// token's line and column. Multi-line double-quoted scalars are not used
// for bytes: it reports false for them and the caller keeps YAML's reading.
func (d *decoder) doubleQuotedSource(tk *token.Token) (string, bool) {
	if tk.Position == nil || tk.Position.Line < 1 {
		return "", false
	}
	lines := strings.Split(string(d.src), "\n")
	if tk.Position.Line > len(lines) {
		return "", false
	}
	line := []rune(lines[tk.Position.Line-1])
	col := tk.Position.Column - 1
	if col < 0 || col >= len(line) || line[col] != '"' {
		return "", false
	}
	for i := col + 1; i < len(line); i++ {
		switch line[i] {
		case '\\':
			i++
		case '"':
			return string(line[col+1 : i]), true
		}
	}
	return "", false
}

func (d *decoder) errf(n ast.Node, format string, args ...any) {
	if n == nil && d.refused > 0 {
		return // the refused value was reported where it stands
	}
	p := Problem{File: d.file, Msg: fmt.Sprintf(format, args...)}
	p.Line, p.Col = position(n)
	d.probs = append(d.probs, p)
}

// unwrap looks through comments; anchors, aliases and tags are refused so that
// every value has one place in the file.
func (d *decoder) unwrap(n ast.Node) ast.Node {
	for {
		switch v := n.(type) {
		case *ast.CommentGroupNode:
			return nil
		case *ast.AnchorNode, *ast.AliasNode, *ast.TagNode:
			d.errf(n, "anchors, aliases and tags are not supported in scenario files: write the value out")
			d.refused++
			return nil
		default:
			return v
		}
	}
}

func kindOf(n ast.Node) string {
	switch n.(type) {
	case *ast.MappingNode, *ast.MappingValueNode:
		return "a mapping"
	case *ast.SequenceNode:
		return "a list"
	case *ast.StringNode, *ast.LiteralNode:
		return "a string"
	case *ast.IntegerNode:
		return "an integer"
	case *ast.FloatNode, *ast.InfinityNode, *ast.NanNode:
		return "a number"
	case *ast.BoolNode:
		return "a boolean"
	case *ast.NullNode, nil:
		return "nothing"
	}
	return "a value of another kind"
}

// entries returns the key/value pairs of a mapping.
func (d *decoder) entries(n ast.Node, what string) []*ast.MappingValueNode {
	n = d.unwrap(n)
	switch m := n.(type) {
	case *ast.MappingNode:
		return m.Values
	case *ast.MappingValueNode: // a mapping with one key
		return []*ast.MappingValueNode{m}
	case *ast.NullNode:
		return nil
	}
	d.errf(n, "%s must be a mapping, not %s", what, kindOf(n))
	return nil
}

func keyName(mv *ast.MappingValueNode) string {
	if s, ok := mv.Key.(*ast.StringNode); ok {
		return s.Value
	}
	return mv.Key.GetToken().Value
}

// fields decodes a mapping whose keys must come from handlers: an unknown key
// or a key given twice is a problem that lists the valid keys.
func (d *decoder) fields(n ast.Node, what string, handlers map[string]func(ast.Node)) map[string]ast.Node {
	seen := map[string]ast.Node{}
	for _, mv := range d.entries(n, what) {
		k := keyName(mv)
		if _, dup := seen[k]; dup {
			d.errf(mv.Key, "%s: key %q is given twice", what, k)
			continue
		}
		seen[k] = mv.Value
		h, ok := handlers[k]
		if !ok {
			d.errf(mv.Key, "%s: unknown key %q (valid: %s)", what, k, oneOf(sortedKeys(handlers)))
			continue
		}
		if h != nil {
			h(mv.Value)
		}
	}
	return seen
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func (d *decoder) list(n ast.Node, what string) []ast.Node {
	n = d.unwrap(n)
	switch s := n.(type) {
	case *ast.SequenceNode:
		return s.Values
	case *ast.NullNode:
		return nil
	}
	d.errf(n, "%s must be a list, not %s", what, kindOf(n))
	return nil
}

// scalar returns the text of a scalar node and whether it was quoted.
func (d *decoder) scalar(n ast.Node) (string, bool) {
	switch s := n.(type) {
	case *ast.StringNode:
		return s.Value, true
	case *ast.LiteralNode:
		return s.Value.Value, true
	case *ast.IntegerNode, *ast.FloatNode, *ast.BoolNode, *ast.InfinityNode, *ast.NanNode:
		return n.GetToken().Value, true
	}
	return "", false
}

func (d *decoder) str(n ast.Node, what string) (string, bool) {
	n = d.unwrap(n)
	switch s := n.(type) {
	case *ast.StringNode:
		return s.Value, true
	case *ast.LiteralNode:
		return s.Value.Value, true
	}
	d.errf(n, "%s must be a string, not %s", what, kindOf(n))
	return "", false
}

func (d *decoder) boolean(n ast.Node, what string) (bool, bool) {
	n = d.unwrap(n)
	if b, ok := n.(*ast.BoolNode); ok {
		return b.Value, true
	}
	d.errf(n, "%s must be true or false, not %s", what, kindOf(n))
	return false, false
}

// mustBeTrue reads an action flag that only makes sense as true.
func (d *decoder) mustBeTrue(n ast.Node, what string) bool {
	b, ok := d.boolean(n, what)
	if ok && !b {
		d.errf(n, "%s: false does nothing; leave the step out", what)
	}
	return ok && b
}

// integer reads an integer in [lo, hi].
func (d *decoder) integer(n ast.Node, what string, lo, hi int64) (int64, bool) {
	n = d.unwrap(n)
	in, ok := n.(*ast.IntegerNode)
	if !ok {
		d.errf(n, "%s must be an integer, not %s", what, kindOf(n))
		return 0, false
	}
	var v int64
	switch x := in.Value.(type) {
	case int64:
		v = x
	case uint64:
		if x > math.MaxInt64 {
			d.errf(n, "%s: %d is too large (at most %d)", what, x, hi)
			return 0, false
		}
		v = int64(x)
	}
	if v < lo || v > hi {
		d.errf(n, "%s: %d is out of range (%d to %d)", what, v, lo, hi)
		return 0, false
	}
	return v, true
}

// uint64Value reads a non-negative integer of up to 64 bits (a seed).
func (d *decoder) uint64Value(n ast.Node, what string) (uint64, bool) {
	n = d.unwrap(n)
	in, ok := n.(*ast.IntegerNode)
	if !ok {
		d.errf(n, "%s must be a non-negative integer, not %s", what, kindOf(n))
		return 0, false
	}
	switch x := in.Value.(type) {
	case int64:
		if x < 0 {
			d.errf(n, "%s must not be negative", what)
			return 0, false
		}
		return uint64(x), true
	case uint64:
		return x, true
	}
	return 0, false
}

// number reads a float in [lo, hi] (an integer is fine too).
func (d *decoder) number(n ast.Node, what string, lo, hi float64) (float64, bool) {
	n = d.unwrap(n)
	var v float64
	switch x := n.(type) {
	case *ast.FloatNode:
		v = x.Value
	case *ast.IntegerNode:
		switch i := x.Value.(type) {
		case int64:
			v = float64(i)
		case uint64:
			v = float64(i)
		}
	default:
		d.errf(n, "%s must be a number, not %s", what, kindOf(n))
		return 0, false
	}
	if v < lo || v > hi || math.IsNaN(v) {
		d.errf(n, "%s: %v is out of range (%v to %v)", what, v, lo, hi)
		return 0, false
	}
	return v, true
}

// duration reads a Go duration with a unit: "250ms", "5s", "1m30s".
func (d *decoder) duration(n ast.Node, what string) (time.Duration, bool) {
	n = d.unwrap(n)
	text, ok := d.scalar(n)
	if !ok {
		d.errf(n, "%s must be a duration such as 250ms or 5s, not %s", what, kindOf(n))
		return 0, false
	}
	if _, isInt := n.(*ast.IntegerNode); isInt && text != "0" {
		d.errf(n, "%s: %s has no unit (write e.g. %sms or %ss)", what, text, text, text)
		return 0, false
	}
	v, err := time.ParseDuration(text)
	if err != nil {
		d.errf(n, "%s: %q is not a duration (examples: 250ms, 5s, 1m30s)", what, text)
		return 0, false
	}
	if v < 0 {
		d.errf(n, "%s must not be negative", what)
		return 0, false
	}
	return v, true
}

// timeout reads a duration, the word forever (returned as -1) or async
// (client.Async: the caller does not wait).
func (d *decoder) timeout(n ast.Node, what string) (time.Duration, bool) {
	n = d.unwrap(n)
	text, ok := d.scalar(n)
	switch {
	case ok && text == "forever":
		return -1, true
	case ok && text == "async":
		return client.Async, true
	}
	if _, err := time.ParseDuration(text); ok && err != nil {
		d.errf(n, "%s: %q is neither a duration (examples: 250ms, 5s), forever nor async", what, text)
		return 0, false
	}
	return d.duration(n, what)
}

// enum reads a string that must be one of valid.
func (d *decoder) enum(n ast.Node, what string, valid []string) (string, bool) {
	s, ok := d.str(n, what)
	if !ok {
		return "", false
	}
	for _, v := range valid {
		if s == v {
			return s, true
		}
	}
	d.errf(n, "%s: unknown value %q (valid: %s)", what, s, oneOf(valid))
	return "", false
}

// byteString reads bytes: a string with escapes (\xNN, \n, \r, \t, \0,
// \\, and in double quotes \" and \uXXXX), or a list of numbers 0..255.
// In a double-quoted YAML string the escapes are read from the source text,
// so that "\xff" is the byte 0xFF and not the character U+00FF.
func (d *decoder) byteString(n ast.Node, what string) ([]byte, bool) {
	n = d.unwrap(n)
	switch s := n.(type) {
	case *ast.SequenceNode:
		out := make([]byte, 0, len(s.Values))
		ok := true
		for i, e := range s.Values {
			v, good := d.integer(e, fmt.Sprintf("%s[%d]", what, i), 0, 255)
			ok = ok && good
			out = append(out, byte(v))
		}
		return out, ok
	case *ast.StringNode:
		text := s.Value
		if s.Token != nil && s.Token.Type == token.DoubleQuoteType {
			raw, ok := d.doubleQuotedSource(s.Token)
			if !ok {
				d.errf(n, "%s: a byte string in double quotes must stay on one line (use single quotes, a block, or a list of numbers)", what)
				return nil, false
			}
			text = raw
		}
		b, err := unescapeBytes(text)
		if err != nil {
			d.errf(n, "%s: %v", what, err)
			return nil, false
		}
		return b, true
	case *ast.LiteralNode:
		b, err := unescapeBytes(s.Value.Value)
		if err != nil {
			d.errf(n, "%s: %v", what, err)
			return nil, false
		}
		return b, true
	}
	d.errf(n, "%s must be a string of bytes (with escapes such as \\xff) or a list of numbers, not %s", what, kindOf(n))
	return nil, false
}

// unescapeBytes turns the escapes of a byte string into bytes.
func unescapeBytes(s string) ([]byte, error) {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' {
			out = append(out, c)
			continue
		}
		if i+1 >= len(s) {
			return nil, fmt.Errorf("a lone backslash at the end (write \\\\ for a backslash)")
		}
		i++
		switch s[i] {
		case 'x':
			if i+2 >= len(s) {
				return nil, fmt.Errorf("\\x needs two hex digits")
			}
			v, err := strconv.ParseUint(s[i+1:i+3], 16, 8)
			if err != nil {
				return nil, fmt.Errorf("\\x%s is not two hex digits", s[i+1:i+3])
			}
			out = append(out, byte(v))
			i += 2
		case 'u':
			if i+4 >= len(s) {
				return nil, fmt.Errorf("\\u needs four hex digits")
			}
			v, err := strconv.ParseUint(s[i+1:i+5], 16, 32)
			if err != nil {
				return nil, fmt.Errorf("\\u%s is not four hex digits", s[i+1:i+5])
			}
			out = append(out, string(rune(v))...)
			i += 4
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case '0':
			out = append(out, 0)
		case '\\', '"', '\'':
			out = append(out, s[i])
		default:
			return nil, fmt.Errorf("unknown escape \\%c (valid: \\xNN \\uXXXX \\n \\r \\t \\0 \\\\ \\\")", s[i])
		}
	}
	return out, nil
}

// jsonText turns a YAML value into JSON text (mappings keep the file's key
// order); a string is taken as JSON text as written, so that a scenario can
// send arguments that are not valid JSON on purpose.
func (d *decoder) jsonText(n ast.Node, what string) ([]byte, bool) {
	n = d.unwrap(n)
	if s, ok := n.(*ast.StringNode); ok {
		return []byte(s.Value), true
	}
	var b strings.Builder
	ok := d.writeJSON(&b, n, what)
	return []byte(b.String()), ok
}

func (d *decoder) writeJSON(b *strings.Builder, n ast.Node, what string) bool {
	n = d.unwrap(n)
	switch v := n.(type) {
	case *ast.MappingNode, *ast.MappingValueNode:
		b.WriteByte('{')
		ok := true
		for i, mv := range d.entries(n, what) {
			if i > 0 {
				b.WriteByte(',')
			}
			k, _ := json.Marshal(keyName(mv))
			b.Write(k)
			b.WriteByte(':')
			ok = d.writeJSON(b, mv.Value, what+"."+keyName(mv)) && ok
		}
		b.WriteByte('}')
		return ok
	case *ast.SequenceNode:
		b.WriteByte('[')
		ok := true
		for i, e := range v.Values {
			if i > 0 {
				b.WriteByte(',')
			}
			ok = d.writeJSON(b, e, fmt.Sprintf("%s[%d]", what, i)) && ok
		}
		b.WriteByte(']')
		return ok
	case *ast.StringNode:
		s, _ := json.Marshal(v.Value)
		b.Write(s)
	case *ast.LiteralNode:
		s, _ := json.Marshal(v.Value.Value)
		b.Write(s)
	case *ast.IntegerNode, *ast.FloatNode:
		b.WriteString(n.GetToken().Value)
	case *ast.BoolNode:
		b.WriteString(strconv.FormatBool(v.Value))
	case *ast.NullNode:
		b.WriteString("null")
	default:
		d.errf(n, "%s: %s cannot be written as JSON", what, kindOf(n))
		return false
	}
	return true
}

// position is where a node starts: for a mapping, its first key (the
// mapping's own token is the first ':').
func position(n ast.Node) (line, col int) {
	switch m := n.(type) {
	case nil:
		return 0, 0
	case *ast.MappingNode:
		if len(m.Values) > 0 {
			return position(m.Values[0].Key)
		}
	case *ast.MappingValueNode:
		return position(m.Key)
	}
	if tk := n.GetToken(); tk != nil && tk.Position != nil {
		return tk.Position.Line, tk.Position.Column
	}
	return 0, 0
}
