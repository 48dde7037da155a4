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
}

func (d *decoder) parse(toks []queuedToken, arena []byte) Message {
	d.toks, d.arena, d.pos, d.err = toks, arena, 0, ""
	v, ok := d.value()
	d.toks, d.arena = nil, nil
	if !ok || d.err != "" {
		return Message{Err: errPrefix + d.err}
	}
	return Message{Value: v}
}

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

func (d *decoder) value() (Value, bool) {
	t, ok := d.peek()
	if !ok {
		d.fail(ErrPrematureEOI)
		return Value{}, false
	}
	switch t.typ {
	case TokLCurly:
		return d.object()
	case TokLSquare:
		return d.array()
	case TokInteger, TokFloat, TokString:
		d.pos++
		return d.literal(t)
	case TokKeyword:
		d.pos++
		switch string(d.text(t)) {
		case "true":
			return BoolValue(true), true
		case "false":
			return BoolValue(false), true
		case "null":
			return NullValue(), true
		}
		d.fail("invalid keyword '" + string(d.text(t)) + "'")
		return Value{}, false
	default:
		d.fail(ErrExpectingValue)
		return Value{}, false
	}
}

func (d *decoder) object() (Value, bool) {
	d.pos++ // the '{'
	dict := NewDict()
	t, ok := d.peek()
	if !ok {
		d.fail(ErrPrematureEOI)
		return Value{}, false
	}
	if t.typ == TokRCurly {
		d.pos++
		return ObjectValue(dict), true
	}
	if !d.pair(dict) {
		return Value{}, false
	}
	for {
		t, ok := d.pop()
		if !ok {
			d.fail(ErrPrematureEOI)
			return Value{}, false
		}
		if t.typ == TokRCurly {
			return ObjectValue(dict), true
		}
		if t.typ != TokComma {
			d.fail(ErrDictSeparator)
			return Value{}, false
		}
		if !d.pair(dict) {
			return Value{}, false
		}
	}
}

func (d *decoder) pair(dict *Dict) bool {
	if _, ok := d.peek(); !ok {
		d.fail(ErrPrematureEOI)
		return false
	}
	key, ok := d.value()
	if !ok || key.Kind != String {
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
	v, ok := d.value()
	if !ok {
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

func (d *decoder) array() (Value, bool) {
	d.pos++ // the '['
	var list []Value
	t, ok := d.peek()
	if !ok {
		d.fail(ErrPrematureEOI)
		return Value{}, false
	}
	if t.typ == TokRSquare {
		d.pos++
		return ArrayValue(), true
	}
	for {
		v, ok := d.value()
		if !ok {
			d.fail(ErrExpectingValue)
			return Value{}, false
		}
		list = append(list, v)
		t, ok := d.pop()
		if !ok {
			d.fail(ErrPrematureEOI)
			return Value{}, false
		}
		if t.typ == TokRSquare {
			return ArrayValue(list...), true
		}
		if t.typ != TokComma {
			d.fail(ErrListSeparator)
			return Value{}, false
		}
	}
}

func (d *decoder) literal(t queuedToken) (Value, bool) {
	text := d.text(t)
	switch t.typ {
	case TokString:
		return d.str(text)
	case TokInteger:
		// int64 if it fits, else uint64 for a non-negative number, else a
		// double, as qemu's parse_literal.
		s := string(text)
		if i, err := strconv.ParseInt(s, 10, 64); err == nil {
			return IntValue(i), true
		}
		if text[0] != '-' {
			if u, err := strconv.ParseUint(s, 10, 64); err == nil {
				return Value{Kind: Uint, U: u}, true
			}
		}
	}
	// strtod: an out-of-range value is ±inf or 0, never an error.
	f, err := strconv.ParseFloat(string(text), 64)
	if err != nil && !math.IsInf(f, 0) && f != 0 {
		f = 0
	}
	return FloatValue(f), true
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
func (d *decoder) str(tok []byte) (Value, bool) {
	quote := tok[0]
	out := d.buf[:0]
	i := 1
	for i < len(tok) && tok[i] != quote {
		c := tok[i]
		if c != '\\' {
			cp, next := decodeModUTF8(tok, i)
			if cp < 0 {
				d.fail(ErrInvalidUTF8)
				return Value{}, false
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
				return Value{}, false
			}
		default:
			d.fail(ErrInvalidEscape)
			return Value{}, false
		}
	}
	d.buf = out
	return StringValue(string(out)), true
}
