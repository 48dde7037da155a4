package qjson

// QEMU decodes and encodes strings as "modified UTF-8": U+0000 is the two
// bytes C0 80 (so a C string never holds a NUL), surrogates and the Unicode
// noncharacters are invalid, and overlong forms other than C0 80 are invalid.

// validCodepoint reports whether cp is a code point QEMU accepts: inside the
// Unicode range, not a surrogate, not a noncharacter (U+FDD0..U+FDEF and every
// code point ending in FFFE or FFFF).
func validCodepoint(cp int) bool {
	switch {
	case cp < 0 || cp > 0x10FFFF:
		return false
	case cp&^0x7FF == 0xD800: // surrogate
		return false
	case cp >= 0xFDD0 && cp <= 0xFDEF:
		return false
	case cp&0xFFFE == 0xFFFE:
		return false
	}
	return true
}

// minCodepoint is the smallest code point a sequence of 2..6 bytes may hold;
// anything below is overlong.
var minCodepoint = [...]int{0x80, 0x800, 0x10000, 0x200000, 0x4000000}

// decodeModUTF8 decodes one code point of s starting at i, looking at no more
// than six bytes. It returns the code point, or -1 for an invalid sequence,
// and the index where decoding should continue. Bytes past the end of s read
// as 0, as the C string's terminator would. An invalid sequence advances past
// the bytes that were taken as part of it, so a missing continuation byte is
// decoded again on its own.
func decodeModUTF8(s []byte, i int) (cp, next int) {
	if i >= len(s) {
		return -1, i
	}
	b := int(s[i])
	p := i + 1
	switch {
	case b < 0x80:
		return b, p
	case b >= 0xFE: // impossible bytes
		return -1, p
	case b&0x40 == 0: // a continuation byte where a sequence should start
		return -1, p
	}
	n := 0
	mask := 0x80
	for ; b&mask != 0; mask >>= 1 {
		n++
	}
	cp = b & (mask - 1)
	for k := 1; k < n; k++ {
		c := 0
		if k < 6 && p < len(s) {
			c = int(s[p])
		}
		if c&0xC0 != 0x80 {
			return -1, p
		}
		p++
		cp = cp<<6 | c&0x3F
	}
	if !validCodepoint(cp) {
		return -1, p
	}
	if cp < minCodepoint[n-2] && !(cp == 0 && n == 2) {
		return -1, p
	}
	return cp, p
}

// appendModUTF8 appends cp in modified UTF-8. It reports false for a code
// point that validCodepoint rejects.
func appendModUTF8(dst []byte, cp int) ([]byte, bool) {
	if !validCodepoint(cp) {
		return dst, false
	}
	switch {
	case cp == 0:
		return append(dst, 0xC0, 0x80), true
	case cp < 0x80:
		return append(dst, byte(cp)), true
	case cp < 0x800:
		return append(dst, byte(0xC0|cp>>6), byte(0x80|cp&0x3F)), true
	case cp < 0x10000:
		return append(dst, byte(0xE0|cp>>12), byte(0x80|cp>>6&0x3F), byte(0x80|cp&0x3F)), true
	default:
		return append(dst, byte(0xF0|cp>>18), byte(0x80|cp>>12&0x3F), byte(0x80|cp>>6&0x3F), byte(0x80|cp&0x3F)), true
	}
}
