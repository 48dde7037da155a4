package qjson

import (
	"math"
	"strconv"
)

// The parser's error texts. Each is reported after the prefix
// "JSON parse error, "; only the first error of a message is kept.
const (
	errPrefix           = "JSON parse error, "
	ErrExpectingValue   = "expecting value"
	ErrKeyNotString     = "key is not a string in object"
	ErrMissingColon     = "missing : in object pair"
	ErrMissingValue     = "Missing value in dict"
	ErrDuplicateKey     = "duplicate key"
	ErrDictSeparator    = "expected separator in dict"
	ErrListSeparator    = "expected separator in list"
	ErrInvalidEscape    = "invalid escape sequence in string"
	ErrInvalidUTF8      = "invalid UTF-8 sequence in string"
	ErrPrematureEOI     = "premature EOI"
	invalidKeywordFmt   = "invalid keyword '%s'"
	invalidUnicodeSufix = " is not a valid Unicode character"
)

// decoder parses one complete message from the streamer's token queue. It
// follows the structure of QEMU's recursive descent so that, of all the
// problems a message may have, it reports the same first one.
type decoder struct {
	toks  []queuedToken
	arena []byte
	pos   int
	err   string
	buf   []byte // scratch for string decoding

	// The objects of a message are reused by a later one (a Message is
	// valid only while the callback runs), so a stream of requests does
	// not allocate an object per request. newDict takes them from pool:
	// the slow path's own, or that of the template the fast path is
	// building.
	pool *dictPool
	slow dictPool
	// intern holds the strings a caller expects often (member names,
	// command names), so decoding one of them allocates nothing.
	intern Names
	// tmpls are the last objects of the fast path, to match the next ones
	// against (template.go); built is the one the fast path is reading
	// into, objStart where its object began, and clock counts their uses
	// (the least recently used is replaced).
	tmpls    [numTemplates]template
	built    *template
	objStart int
	clock    uint64
	shapes   uint64 // the last template's shape
}

// dictPool is objects kept for reuse.
type dictPool struct {
	dicts []*Dict
	n     int // handed out since the last reset
}

// maxPooledDicts bounds the objects kept for reuse after a big message.
const maxPooledDicts = 256

func (p *dictPool) get() *Dict {
	if p.n < len(p.dicts) {
		o := p.dicts[p.n]
		o.Reset()
		p.n++
		return o
	}
	o := NewDict()
	p.dicts = append(p.dicts, o)
	p.n++
	return o
}

// trim lets the objects of a big message go.
func (p *dictPool) trim() {
	if len(p.dicts) > maxPooledDicts {
		clear(p.dicts[maxPooledDicts:])
		p.dicts = p.dicts[:maxPooledDicts]
	}
}

func (d *decoder) parse(toks []queuedToken, arena []byte) Message {
	d.toks, d.arena, d.pos, d.err = toks, arena, 0, ""
	d.pool = &d.slow
	d.pool.n = 0
	var v Value
	ok := d.value(&v)
	d.toks, d.arena = nil, nil
	d.slow.trim()
	if !ok || d.err != "" {
		return Message{Err: errPrefix + d.err}
	}
	return Message{Value: v}
}

func (d *decoder) newDict() *Dict { return d.pool.get() }

func (d *decoder) fail(msg string) {
	if d.err == "" {
		d.err = msg
	}
}

func (d *decoder) peek() (queuedToken, bool) {
	if d.pos >= len(d.toks) {
		return queuedToken{}, false
	}
	return d.toks[d.pos], true
}

func (d *decoder) pop() (queuedToken, bool) {
	t, ok := d.peek()
	if ok {
		d.pos++
	}
	return t, ok
}

func (d *decoder) text(t queuedToken) []byte { return d.arena[t.start:t.end] }

// The decoding methods write the value into *dst rather than return it:
// a Value is big enough that copying it through every level of the
// recursion was the parser's main cost.

func (d *decoder) value(dst *Value) bool {
	t, ok := d.peek()
	if !ok {
		d.fail(ErrPrematureEOI)
		return false
	}
	switch t.typ {
	case TokLCurly:
		return d.object(dst)
	case TokLSquare:
		return d.array(dst)
	case TokInteger, TokFloat, TokString:
		d.pos++
		return d.literal(t, dst)
	case TokKeyword:
		d.pos++
		switch string(d.text(t)) {
		case "true":
			*dst = BoolValue(true)
			return true
		case "false":
			*dst = BoolValue(false)
			return true
		case "null":
			*dst = NullValue()
			return true
		}
		d.fail("invalid keyword '" + string(d.text(t)) + "'")
		return false
	default:
		d.fail(ErrExpectingValue)
		return false
	}
}

func (d *decoder) object(dst *Value) bool {
	d.pos++ // the '{'
	dict := d.newDict()
	t, ok := d.peek()
	if !ok {
		d.fail(ErrPrematureEOI)
		return false
	}
	if t.typ == TokRCurly {
		d.pos++
		*dst = ObjectValue(dict)
		return true
	}
	if !d.pair(dict) {
		return false
	}
	for {
		t, ok := d.pop()
		if !ok {
			d.fail(ErrPrematureEOI)
			return false
		}
		if t.typ == TokRCurly {
			*dst = ObjectValue(dict)
			return true
		}
		if t.typ != TokComma {
			d.fail(ErrDictSeparator)
			return false
		}
		if !d.pair(dict) {
			return false
		}
	}
}

func (d *decoder) pair(dict *Dict) bool {
	if _, ok := d.peek(); !ok {
		d.fail(ErrPrematureEOI)
		return false
	}
	var key, v Value
	if !d.value(&key) || key.Kind != String {
		d.fail(ErrKeyNotString)
		return false
	}
	t, ok := d.pop()
	if !ok {
		d.fail(ErrPrematureEOI)
		return false
	}
	if t.typ != TokColon {
		d.fail(ErrMissingColon)
		return false
	}
	if !d.value(&v) {
		d.fail(ErrMissingValue)
		return false
	}
	if dict.Has(key.S) {
		d.fail(ErrDuplicateKey)
		return false
	}
	dict.Put(key.S, v)
	return true
}

func (d *decoder) array(dst *Value) bool {
	d.pos++ // the '['
	var list []Value
	t, ok := d.peek()
	if !ok {
		d.fail(ErrPrematureEOI)
		return false
	}
	if t.typ == TokRSquare {
		d.pos++
		*dst = ArrayValue()
		return true
	}
	for {
		list = append(list, Value{})
		if !d.value(&list[len(list)-1]) {
			d.fail(ErrExpectingValue)
			return false
		}
		t, ok := d.pop()
		if !ok {
			d.fail(ErrPrematureEOI)
			return false
		}
		if t.typ == TokRSquare {
			*dst = ArrayValue(list...)
			return true
		}
		if t.typ != TokComma {
			d.fail(ErrListSeparator)
			return false
		}
	}
}

func (d *decoder) literal(t queuedToken, dst *Value) bool {
	text := d.text(t)
	switch t.typ {
	case TokString:
		return d.str(text, dst)
	case TokInteger:
		// int64 if it fits, else uint64 for a non-negative number, else a
		// double, as qemu's parse_literal.
		if v, ok := smallInt(text); ok {
			*dst = IntValue(v)
			return true
		}
		s := string(text)
		if i, err := strconv.ParseInt(s, 10, 64); err == nil {
			*dst = IntValue(i)
			return true
		}
		if text[0] != '-' {
			if u, err := strconv.ParseUint(s, 10, 64); err == nil {
				*dst = UintValue(u)
				return true
			}
		}
	}
	// strtod: an out-of-range value is ±inf or 0, never an error.
	f, err := strconv.ParseFloat(string(text), 64)
	if err != nil && !math.IsInf(f, 0) && f != 0 {
		f = 0
	}
	*dst = FloatValue(f)
	return true
}

// smallInt parses an integer token of at most 18 digits (which always
// fits int64) without the allocation strconv would make; longer ones go
// the slow way.
func smallInt(text []byte) (int64, bool) {
	neg := text[0] == '-'
	digits := text
	if neg {
		digits = text[1:]
	}
	if len(digits) == 0 || len(digits) > 18 {
		return 0, false
	}
	var v int64
	for _, c := range digits {
		v = v*10 + int64(c-'0')
	}
	if neg {
		v = -v
	}
	return v, true
}

// hex4 reads up to four hex digits at s[i:], stopping at the first byte that
// is not one (or at the end), and returns the value or -1.
func hex4(s []byte, i int) int {
	cp := 0
	for k := 0; k < 4; k++ {
		if i+k >= len(s) {
			return -1
		}
		c := s[i+k]
		switch {
		case c >= '0' && c <= '9':
			cp = cp<<4 | int(c-'0')
		case c >= 'a' && c <= 'f':
			cp = cp<<4 | int(c-'a'+10)
		case c >= 'A' && c <= 'F':
			cp = cp<<4 | int(c-'A'+10)
		default:
			return -1
		}
	}
	return cp
}

// str decodes a string token (quotes included) to modified UTF-8.
func (d *decoder) str(tok []byte, dst *Value) bool {
	quote := tok[0]
	// Most strings are plain ASCII without escapes: they decode to
	// themselves.
	plain := true
	for _, c := range tok[1 : len(tok)-1] {
		if c >= 0x80 || c == '\\' {
			plain = false
			break
		}
	}
	if plain {
		body := tok[1 : len(tok)-1]
		if k := d.intern.IndexBytes(body); k >= 0 {
			*dst = StringValue(d.intern.Get(k))
			return true
		}
		*dst = StringValue(string(body))
		return true
	}
	out := d.buf[:0]
	i := 1
	for i < len(tok) && tok[i] != quote {
		c := tok[i]
		if c != '\\' {
			cp, next := decodeModUTF8(tok, i)
			if cp < 0 {
				d.fail(ErrInvalidUTF8)
				return false
			}
			out, _ = appendModUTF8(out, cp)
			i = next
			continue
		}
		beg := i
		i++
		e := tok[i]
		i++
		switch e {
		case '"', '\'', '\\', '/':
			out = append(out, e)
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			cp := hex4(tok, i)
			i += 4
			if cp >= 0xD800 && cp <= 0xDBFF && i+1 < len(tok) && tok[i] == '\\' && tok[i+1] == 'u' {
				trail := hex4(tok, i+2)
				if trail >= 0xDC00 && trail <= 0xDFFF {
					cp = 0x10000 + (cp&0x3FF)<<10 | trail&0x3FF
					i += 6
				} else {
					cp = -1
				}
			}
			var ok bool
			if out, ok = appendModUTF8(out, cp); !ok {
				// The message quotes the escape as written, as far as the
				// token goes (qemu's "%.*s" stops at the string's end).
				end := min(i, len(tok))
				d.fail(string(tok[beg:end]) + invalidUnicodeSufix)
				return false
			}
		default:
			d.fail(ErrInvalidEscape)
			return false
		}
	}
	d.buf = out
	if k := d.intern.IndexBytes(out); k >= 0 {
		*dst = StringValue(d.intern.Get(k))
		return true
	}
	*dst = StringValue(string(out))
	return true
}
