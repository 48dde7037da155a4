package client

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Python's spellings of JSON values, for the clients written in Python:
// pyDumps is json.dumps's default output (", " and ": " separators, key
// order kept, non-ASCII escaped) and pyRepr is repr() of what json.loads
// gives (dicts, lists, str, int, float, True, False, None).

// pyDumps writes JSON text as Python's json.dumps would write the value it
// decodes to. Invalid JSON comes back unchanged.
func pyDumps(js []byte) []byte {
	var b bytes.Buffer
	if !pyWalk(js, &b, pyDumpsTok) {
		return js
	}
	return b.Bytes()
}

// pyRepr writes JSON text as Python's repr() of the decoded value.
func pyRepr(js []byte) string {
	var b bytes.Buffer
	if !pyWalk(js, &b, pyReprTok) {
		return string(js)
	}
	return b.String()
}

// pyWalk re-emits a JSON value token by token, keeping the order of keys,
// with Python's separators; tok writes one scalar.
func pyWalk(js []byte, b *bytes.Buffer, tok func(b *bytes.Buffer, t json.Token)) bool {
	dec := json.NewDecoder(bytes.NewReader(js))
	dec.UseNumber()
	type level struct {
		obj   bool
		n     int
		isKey bool
	}
	var stack []level
	for {
		t, err := dec.Token()
		if err != nil {
			return len(stack) == 0 && b.Len() > 0
		}
		if len(stack) > 0 {
			top := &stack[len(stack)-1]
			if d, ok := t.(json.Delim); !ok || (d != '}' && d != ']') {
				switch {
				case top.obj && top.isKey:
					if top.n > 0 {
						b.WriteString(", ")
					}
				case top.obj:
					b.WriteString(": ")
				default:
					if top.n > 0 {
						b.WriteString(", ")
					}
				}
			}
		}
		switch d := t.(type) {
		case json.Delim:
			switch d {
			case '{', '[':
				b.WriteByte(byte(d))
				stack = append(stack, level{obj: d == '{', isKey: true})
				continue
			default:
				b.WriteByte(byte(d))
				stack = stack[:len(stack)-1]
			}
		default:
			tok(b, t)
		}
		if len(stack) > 0 {
			top := &stack[len(stack)-1]
			if top.obj {
				if !top.isKey {
					top.n++
				}
				top.isKey = !top.isKey
			} else {
				top.n++
			}
		}
	}
}

func pyDumpsTok(b *bytes.Buffer, t json.Token) {
	switch v := t.(type) {
	case string:
		b.WriteString(pyDumpsString(v))
	case json.Number:
		b.WriteString(v.String())
	case bool:
		b.WriteString(strconv.FormatBool(v))
	case nil:
		b.WriteString("null")
	}
}

// pyDumpsString is json.dumps of a str with ensure_ascii: every non-ASCII
// character as \uXXXX (surrogate pairs above the BMP).
func pyDumpsString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\b':
			b.WriteString(`\b`)
		case r == '\f':
			b.WriteString(`\f`)
		case r < 0x20 || (r >= 0x7f && r <= 0xffff):
			fmt.Fprintf(&b, `\u%04x`, r)
		case r > 0xffff:
			r -= 0x10000
			fmt.Fprintf(&b, `\u%04x\u%04x`, 0xd800+(r>>10), 0xdc00+(r&0x3ff))
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

func pyReprTok(b *bytes.Buffer, t json.Token) {
	switch v := t.(type) {
	case string:
		b.WriteString(pyReprString(v))
	case json.Number:
		b.WriteString(v.String())
	case bool:
		if v {
			b.WriteString("True")
		} else {
			b.WriteString("False")
		}
	case nil:
		b.WriteString("None")
	}
}

// pyReprString is repr() of a str: single quotes unless the text has one
// and no double quote; backslash escapes for the unprintable.
func pyReprString(s string) string {
	var b strings.Builder
	q := pyQuote(&b, strings.ContainsRune(s, '\''), strings.ContainsRune(s, '"'))
	for _, r := range s {
		if r < 0x80 {
			pyEscapeASCII(&b, byte(r), q)
			continue
		}
		if r == utf8.RuneError {
			b.WriteString(`\ufffd`)
			continue
		}
		b.WriteRune(r)
	}
	b.WriteByte(q)
	return b.String()
}

// pyQuote opens a repr: single quotes unless the text has one and no
// double quote. It returns the quote to close with.
func pyQuote(b *strings.Builder, hasSingle, hasDouble bool) byte {
	q := byte('\'')
	if hasSingle && !hasDouble {
		q = '"'
	}
	b.WriteByte(q)
	return q
}

// pyEscapeASCII writes one ASCII character as repr() does, in a str or a
// bytes alike.
func pyEscapeASCII(b *strings.Builder, c, q byte) {
	switch {
	case c == q || c == '\\':
		b.WriteByte('\\')
		b.WriteByte(c)
	case c == '\n':
		b.WriteString(`\n`)
	case c == '\r':
		b.WriteString(`\r`)
	case c == '\t':
		b.WriteString(`\t`)
	case c < 0x20 || c == 0x7f:
		fmt.Fprintf(b, `\x%02x`, c)
	default:
		b.WriteByte(c)
	}
}

// pyBytesRepr is repr() of a bytes object: b'...' with \n, \r, \t, \\,
// the quote and non-ASCII bytes escaped.
func pyBytesRepr(data []byte) string {
	var b strings.Builder
	b.WriteString("b")
	q := pyQuote(&b, bytes.IndexByte(data, '\'') >= 0, bytes.IndexByte(data, '"') >= 0)
	for _, c := range data {
		if c >= 0x80 {
			fmt.Fprintf(&b, `\x%02x`, c)
			continue
		}
		pyEscapeASCII(&b, c, q)
	}
	b.WriteByte(q)
	return b.String()
}
