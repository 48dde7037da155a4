package scenarios

import (
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/token"

	"github.com/qgasim/qgasim/sim/client"
	"github.com/qgasim/qgasim/sim/trace"
)

// decoder walks the YAML syntax tree and collects every problem with its
// line and column, instead of stopping at the first as a struct decoder
// would: a person fixing a file wants the whole list at once.
type decoder struct {
	file  string
	src   []byte
	lines []int // byte offset of the start of each line, from line 1
	// cursor remembers the last column looked up in the source, so that
	// looking up every string of one long line stays linear.
	cursor struct{ line, col, off int }
	probs  Problems
	// refused counts values unwrap refused (anchors, aliases, tags); their
	// readers then see no node, and say nothing more about it.
	refused int
	pos     map[string]filePos // positions of the paths that mark records
	// times are the durations read, for the check that each fits after
	// the run's duration (checkTimes).
	times []timeValue
}

// timeValue is one duration of the file and where it is.
type timeValue struct {
	path      string
	line, col int
	v         time.Duration
}

func newDecoder(file string, src []byte) *decoder {
	d := &decoder{file: file, src: src, lines: []int{0, 0}, pos: map[string]filePos{}}
	for i, c := range src {
		if c == '\n' {
			d.lines = append(d.lines, i+1)
		}
	}
	return d
}

// mark records where path is in the file, for problems found later.
func (d *decoder) mark(path string, n ast.Node) {
	if line, col := position(n); line > 0 {
		d.pos[path] = filePos{line, col}
	}
}

// offset returns the byte offset of a line and a column (in characters,
// as the YAML parser counts them), or -1. Lookups on one line that move
// forward continue from the last one.
func (d *decoder) offset(line, col int) int {
	if line < 1 || line >= len(d.lines) || col < 1 {
		return -1
	}
	off, c := d.lines[line], 1
	if d.cursor.line == line && d.cursor.col <= col {
		off, c = d.cursor.off, d.cursor.col
	}
	for c < col {
		if off >= len(d.src) || d.src[off] == '\n' {
			return -1
		}
		_, size := utf8.DecodeRune(d.src[off:])
		off += size
		c++
	}
	d.cursor.line, d.cursor.col, d.cursor.off = line, col, off
	return off
}

// doubleQuotedSource returns the text between the quotes of a double-quoted
// scalar as written in the file (escapes not processed). Multi-line
// double-quoted scalars are not used for bytes: it reports false for them.
func (d *decoder) doubleQuotedSource(tk *token.Token) (string, bool) {
	if tk.Position == nil {
		return "", false
	}
	off := d.offset(tk.Position.Line, tk.Position.Column)
	if off < 0 || off >= len(d.src) || d.src[off] != '"' {
		return "", false
	}
	for i := off + 1; i < len(d.src); i++ {
		switch d.src[i] {
		case '\\':
			i++
		case '"':
			return string(d.src[off+1 : i]), true
		case '\n', '\r':
			return "", false
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

func kindOf(n ast.Node) string {
	switch n.(type) {
	case *ast.MappingNode, *ast.MappingValueNode:
		return "a mapping"
	case *ast.SequenceNode:
		return "a list"
	case *ast.StringNode, *ast.LiteralNode:
		if _, ok := plainNumber(n); ok {
			return "a number"
		}
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

// unique is a mapping's entries with each key once: a key given again is
// reported where it stands and left out, so that the first one counts.
// ok is false when a key was given twice.
func (d *decoder) unique(entries []*ast.MappingValueNode, what string) (out []*ast.MappingValueNode, ok bool) {
	seen := make(map[string]bool, len(entries))
	out, ok = entries[:0:0], true
	for _, mv := range entries {
		k := keyName(mv)
		if seen[k] {
			d.errf(mv.Key, "%s: key %q is given twice", what, k)
			ok = false
			continue
		}
		seen[k] = true
		out = append(out, mv)
	}
	return out, ok
}

func keyName(mv *ast.MappingValueNode) string {
	if s, ok := mv.Key.(*ast.StringNode); ok {
		return s.Value
	}
	if tk := mv.Key.GetToken(); tk != nil {
		return tk.Value
	}
	return ""
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

// scalar returns the text of a scalar node as written (unquoted).
func scalar(n ast.Node) (string, bool) {
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

// coreFloat is a number as YAML 1.2's core schema writes it: 1e-3 and 1E-3
// are numbers even where the YAML parser leaves them a string.
var coreFloat = regexp.MustCompile(`^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`)

// plainNumber reads an unquoted scalar that YAML's core schema takes for a
// number, whatever node the parser made of it.
func plainNumber(n ast.Node) (float64, bool) {
	switch x := n.(type) {
	case *ast.FloatNode:
		return x.Value, true
	case *ast.IntegerNode:
		switch i := x.Value.(type) {
		case int64:
			return float64(i), true
		case uint64:
			return float64(i), true
		}
	case *ast.InfinityNode:
		return x.Value, true
	case *ast.NanNode:
		return math.NaN(), true
	case *ast.StringNode:
		if x.Token == nil || x.Token.Type != token.StringType || !coreFloat.MatchString(x.Value) {
			return 0, false
		}
		v, err := strconv.ParseFloat(x.Value, 64)
		if err != nil && !isRangeErr(err) {
			return 0, false
		}
		return v, true
	}
	return 0, false
}

func isRangeErr(err error) bool {
	ne, ok := err.(*strconv.NumError)
	return ok && ne.Err == strconv.ErrRange
}

// integer reads a whole number in [lo, hi]; a number such as 1e6 that is
// whole is one too.
func (d *decoder) integer(n ast.Node, what string, lo, hi int64) (int64, bool) {
	n = d.unwrap(n)
	var v int64
	switch x := n.(type) {
	case *ast.IntegerNode:
		switch i := x.Value.(type) {
		case int64:
			v = i
		case uint64:
			if i > math.MaxInt64 {
				d.errf(n, "%s: %d is out of range %d..%d", what, i, lo, hi)
				return 0, false
			}
			v = int64(i)
		}
	default:
		f, ok := plainNumber(n)
		switch {
		case !ok:
			d.errf(n, "%s must be an integer, not %s", what, kindOf(n))
			return 0, false
		case math.IsNaN(f) || math.IsInf(f, 0):
			d.errf(n, "%s must be a finite integer, not %s", what, n.GetToken().Value)
			return 0, false
		case f != math.Trunc(f):
			d.errf(n, "%s must be an integer, not %s", what, n.GetToken().Value)
			return 0, false
		case f < float64(lo) || f > float64(hi):
			d.errf(n, "%s: %s is out of range %d..%d", what, n.GetToken().Value, lo, hi)
			return 0, false
		}
		v = int64(f)
	}
	if v < lo || v > hi {
		d.errf(n, "%s: %d is out of range %d..%d", what, v, lo, hi)
		return 0, false
	}
	return v, true
}

// uint64Value reads a non-negative integer of up to 64 bits (a seed).
func (d *decoder) uint64Value(n ast.Node, what string) (uint64, bool) {
	n = d.unwrap(n)
	in, ok := n.(*ast.IntegerNode)
	if !ok {
		// A number of another form: say what is wrong with it, not that
		// it is "not a number" (1e21 is a number, out of range).
		f, isNum := plainNumber(n)
		switch {
		case !isNum:
			d.errf(n, "%s must be a non-negative integer, not %s", what, kindOf(n))
		case math.IsNaN(f) || math.IsInf(f, 0):
			d.errf(n, "%s must be a finite integer, not %s", what, n.GetToken().Value)
		case f != math.Trunc(f):
			d.errf(n, "%s must be an integer, not %s", what, n.GetToken().Value)
		case f < 0 || f >= 1<<64:
			d.errf(n, "%s: %s is out of range 0..%d", what, n.GetToken().Value, uint64(math.MaxUint64))
		default:
			// A whole number written as a float (1e3): exact up to 2^53.
			if f > 1<<53 {
				d.errf(n, "%s: %s is too large to be exact in this form: write it out in digits", what, n.GetToken().Value)
				return 0, false
			}
			return uint64(f), true
		}
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

// number reads a number (an integer is one too). Its range is the caller's
// to check: NaN and the infinities come back as they are.
func (d *decoder) number(n ast.Node, what string) (float64, bool) {
	n = d.unwrap(n)
	v, ok := plainNumber(n)
	if !ok {
		d.errf(n, "%s must be a number, not %s", what, kindOf(n))
		return 0, false
	}
	return v, true
}

// fmtNum writes a number exactly: whole numbers in full, others in the
// shortest form that reads back the same (0.001, 1e-07).
func fmtNum(x float64) string {
	if x == math.Trunc(x) && math.Abs(x) < 1e15 {
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return strconv.FormatFloat(x, 'g', -1, 64)
}

// durationSyntax is what time.ParseDuration reads, whatever the size.
var durationSyntax = regexp.MustCompile(`^[-+]?(([0-9]+(\.[0-9]*)?|\.[0-9]+)(ns|us|µs|μs|ms|s|m|h))+$`)

// duration reads a Go duration with a unit: "250ms", "5s", "1m30s".
func (d *decoder) duration(n ast.Node, what string) (time.Duration, bool) {
	n = d.unwrap(n)
	text, ok := scalar(n)
	if !ok {
		d.errf(n, "%s must be a duration such as 250ms or 5s, not %s", what, kindOf(n))
		return 0, false
	}
	if _, isNum := plainNumber(n); isNum && text != "0" {
		d.errf(n, "%s: %s has no unit (write e.g. %sms or %ss)", what, text, text, text)
		return 0, false
	}
	v, err := time.ParseDuration(text)
	if err != nil {
		if durationSyntax.MatchString(text) {
			d.errf(n, "%s: %s is too long (at most %v)", what, text, time.Duration(math.MaxInt64))
		} else {
			d.errf(n, "%s: %q is not a duration (examples: 250ms, 5s, 1m30s)", what, text)
		}
		return 0, false
	}
	if v < 0 {
		d.errf(n, "%s must not be negative", what)
		return 0, false
	}
	if v > 0 {
		line, col := position(n)
		d.times = append(d.times, timeValue{what, line, col, v})
	}
	return v, true
}

// Timeouts: the words a timeout may be instead of a duration.
const (
	forever = time.Duration(-1) // wait for ever
)

// timeout reads a duration, the word forever (-1) or async (client.Async:
// the caller does not wait).
func (d *decoder) timeout(n ast.Node, what string) (time.Duration, bool) {
	n = d.unwrap(n)
	text, ok := scalar(n)
	switch {
	case ok && text == "forever":
		return forever, true
	case ok && text == "async":
		return client.Async, true
	}
	if _, err := time.ParseDuration(text); ok && err != nil && strings.Contains(err.Error(), "invalid duration") {
		if _, isNum := plainNumber(n); !isNum {
			d.errf(n, "%s: %q is neither a duration (examples: 250ms, 5s), forever nor async", what, text)
			return 0, false
		}
	}
	return d.duration(n, what)
}

// enum reads a string that must be one of valid.
func (d *decoder) enum(n ast.Node, what string, valid []string) (string, bool) {
	return d.enumMeant(n, what, valid, nil)
}

// enumMeant is enum whose error names the value an unknown one most likely
// means, when meant (if not nil) can tell.
func (d *decoder) enumMeant(n ast.Node, what string, valid []string, meant func(string) string) (string, bool) {
	s, ok := d.str(n, what)
	if !ok {
		return "", false
	}
	for _, v := range valid {
		if s == v {
			return s, true
		}
	}
	hint := ""
	if meant != nil {
		if m := meant(s); m != "" {
			hint = "; did you mean " + m + "?"
		}
	}
	d.errf(n, "%s: unknown value %q%s (valid: %s)", what, s, hint, oneOf(valid))
	return "", false
}

// byteString reads bytes: a string in the byte grammar of trace.Unquote, or
// a list of numbers 0..255. The escapes are read once, from the text as
// written: in single quotes and plain or block style that is the YAML
// value; in double quotes it is the text between the quotes in the file,
// so that "\xff" is the byte 0xFF and not the character U+00FF that YAML
// would make of it.
func (d *decoder) byteString(n ast.Node, what string) ([]byte, bool) {
	n = d.unwrap(n)
	text := ""
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
		text = s.Value
		if s.Token != nil && s.Token.Type == token.DoubleQuoteType {
			raw, ok := d.doubleQuotedSource(s.Token)
			if !ok {
				d.errf(n, "%s: a byte string in double quotes must stay on one line (use single quotes, a block, or a list of numbers)", what)
				return nil, false
			}
			text = raw
		}
	case *ast.LiteralNode:
		text = s.Value.Value
	default:
		if v, ok := plainNumber(n); ok && v >= 0 && v <= 255 && isHex(n) {
			// on: 0xff is the number 255, not the byte: say how to write it.
			d.errf(n, "%s must be a string of bytes, not the number %s: for that byte write '\\x%02x' (quoted) or [%d]",
				what, n.GetToken().Value, int(v), int(v))
			return nil, false
		}
		d.errf(n, "%s must be a string of bytes (with escapes such as \\xff) or a list of numbers, not %s", what, kindOf(n))
		return nil, false
	}
	b, err := trace.Unquote(text)
	if err != nil {
		d.errf(n, "%s: %v", what, err)
		return nil, false
	}
	return b, true
}

// jsonText turns a YAML value into JSON text (mappings keep the file's key
// order); a string is taken as JSON text as written, so that a scenario can
// send arguments that are not valid JSON on purpose.
func (d *decoder) jsonText(n ast.Node, what string) (string, bool) {
	n = d.unwrap(n)
	if s, ok := n.(*ast.StringNode); ok {
		if _, isNum := plainNumber(n); !isNum {
			return s.Value, true
		}
	}
	var b strings.Builder
	ok := d.writeJSON(&b, n, what)
	return b.String(), ok
}

func (d *decoder) writeJSON(b *strings.Builder, n ast.Node, what string) bool {
	n = d.unwrap(n)
	if x, isNum := plainNumber(n); isNum {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			d.errf(n, "%s: %s cannot be written as JSON (JSON numbers are finite)", what, n.GetToken().Value)
			return false
		}
		if in, isInt := n.(*ast.IntegerNode); isInt && n.GetToken().Type != token.IntegerType {
			// 0x10, 0o7, 1_000: JSON has only decimal.
			b.WriteString(fmt.Sprint(in.Value))
			return true
		}
		text := n.GetToken().Value
		if !json.Valid([]byte(text)) {
			text = strconv.FormatFloat(x, 'g', -1, 64)
		}
		b.WriteString(text)
		return true
	}
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

// isHex reports a number written in hexadecimal (0xff): meant as a byte.
func isHex(n ast.Node) bool {
	t := n.GetToken()
	return t != nil && len(t.Value) > 2 && t.Value[0] == '0' && (t.Value[1] == 'x' || t.Value[1] == 'X')
}
