package qjson

import (
	"math"
	"strconv"
)

// Append writes v as QEMU's JSON writer does in compact mode: ": " after a
// key, ", " between members and elements, keys in QDict order.
func Append(dst []byte, v Value) []byte {
	switch v.Kind {
	case Null:
		return append(dst, "null"...)
	case Bool:
		if v.Bool() {
			return append(dst, "true"...)
		}
		return append(dst, "false"...)
	case Int:
		return AppendInt(dst, v.Int())
	case Uint:
		return strconv.AppendUint(dst, v.Uint(), 10)
	case Float:
		return AppendDouble(dst, v.Float())
	case String:
		return AppendString(dst, v.S)
	case Array:
		dst = append(dst, '[')
		for i, e := range v.Elems() {
			if i > 0 {
				dst = append(dst, ", "...)
			}
			dst = Append(dst, e)
		}
		return append(dst, ']')
	case Object:
		dst = append(dst, '{')
		if v.O != nil {
			v.O.order()
			for i := range v.O.entries {
				if i > 0 {
					dst = append(dst, ", "...)
				}
				e := &v.O.entries[i]
				dst = AppendString(dst, e.key)
				dst = append(dst, ": "...)
				dst = Append(dst, e.val)
			}
		}
		return append(dst, '}')
	}
	return dst
}

// AppendDouble writes f as C's "%.17g" does (so 1.0 is "1", an overflowed
// number is "inf").
func AppendDouble(dst []byte, f float64) []byte {
	switch {
	case math.IsInf(f, 1):
		return append(dst, "inf"...)
	case math.IsInf(f, -1):
		return append(dst, "-inf"...)
	case math.IsNaN(f):
		return append(dst, "nan"...)
	}
	return strconv.AppendFloat(dst, f, 'g', 17, 64)
}

const hexDigits = "0123456789ABCDEF"

// plainByte tells the bytes a string is written with as they are.
var plainByte = func() (t [256]bool) {
	for c := 0x20; c < 0x7F; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

func appendU4(dst []byte, cp int) []byte {
	return append(dst, '\\', 'u', hexDigits[cp>>12&0xF], hexDigits[cp>>8&0xF], hexDigits[cp>>4&0xF], hexDigits[cp&0xF])
}

// AppendString writes s quoted as QEMU's writer does: the short escapes for
// " \ \b \f \n \r \t, uppercase \uXXXX for every other code point below 0x20
// or from 0x7F up (a surrogate pair beyond the BMP), \uFFFD for each invalid
// modified-UTF-8 sequence. A NUL byte ends the string, as in C.
func AppendString(dst []byte, s string) []byte {
	b := []byte(s) // the compiler does not copy for a read-only use
	dst = append(dst, '"')
	for i := 0; i < len(b) && b[i] != 0; {
		// Copy a run of bytes that need no escape in one go.
		j := i
		for j < len(b) && plainByte[b[j]] {
			j++
		}
		if j > i {
			dst = append(dst, b[i:j]...)
			i = j
			continue
		}
		cp, next := decodeModUTF8(b, i)
		i = next
		switch cp {
		case '"':
			dst = append(dst, '\\', '"')
		case '\\':
			dst = append(dst, '\\', '\\')
		case '\b':
			dst = append(dst, '\\', 'b')
		case '\f':
			dst = append(dst, '\\', 'f')
		case '\n':
			dst = append(dst, '\\', 'n')
		case '\r':
			dst = append(dst, '\\', 'r')
		case '\t':
			dst = append(dst, '\\', 't')
		default:
			if cp < 0 {
				cp = 0xFFFD
			}
			if cp > 0xFFFF {
				dst = appendU4(dst, 0xD800+(cp-0x10000)>>10)
				dst = appendU4(dst, 0xDC00+(cp-0x10000)&0x3FF)
			} else {
				dst = appendU4(dst, cp)
			}
		}
	}
	return append(dst, '"')
}

// AppendInt writes an integer in decimal, as strconv.AppendInt does, but
// faster for the numbers an agent echoes (ids of 10 to 19 digits): the
// number is cut into 8-digit parts, each written in one go (digits.go).
func AppendInt(dst []byte, i int64) []byte {
	u := uint64(i)
	if i < 0 {
		dst = append(dst, '-')
		u = -u
	}
	if u < 1e8 {
		return appendLead(dst, uint32(u))
	}
	hi, lo := u/1e8, uint32(u%1e8)
	if hi < 1e8 {
		dst = appendLead(dst, uint32(hi))
	} else {
		dst = appendLead(dst, uint32(hi/1e8))
		dst = appendDigits8(dst, uint32(hi%1e8))
	}
	return appendDigits8(dst, lo)
}
