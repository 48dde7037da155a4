package qjson

import (
	"encoding/binary"
	"math/bits"
)

// Eight decimal digits at a time, in one 64-bit word (SWAR: "SIMD within a
// register"), for the ids an agent reads and echoes: a random 63-bit id
// has 18 or 19 digits, which digit by digit costs a loop turn each.
// The word holds the digits in memory order when loaded or stored little
// endian: the first (most significant) digit in its lowest byte.

const (
	ones8    = 0x0101010101010101
	ascii0x8 = '0' * ones8 // eight '0' bytes
)

// isDigits8 reports whether each byte of x is an ASCII digit: its high
// nibble is 3, and adding 6 leaves it 3 (no byte carries into the next, as
// every byte is at most 0x3F by then).
func isDigits8(x uint64) bool {
	return x&(0xF0*ones8) == ascii0x8 && (x+6*ones8)&(0xF0*ones8) == ascii0x8
}

// parseDigits8 is the value of the eight ASCII digits in x (isDigits8):
// pairs of digits, then pairs of pairs, then the two halves, each step a
// multiply and a shift on all the lanes at once.
func parseDigits8(x uint64) uint64 {
	x -= ascii0x8
	x = x*10 + x>>8 // each 16-bit lane's low byte: its two digits' value
	x = ((x&0x000000FF000000FF)*(100+1000000<<32) + (x>>16&0x000000FF000000FF)*(1+10000<<32)) >> 32
	return x
}

// spreadDigits8 is v (< 1e8) as eight digit values 0-9, one a byte,
// leading zeros included, in memory order: the 4-digit halves in 32-bit
// lanes, their 2-digit halves in 16-bit lanes, the digits in bytes. Each
// division is a multiply and a shift exact for its range (n/100 as
// n*10486>>20 for n < 10000, n/10 as n*103>>10 for n < 100), and no lane's
// product reaches the next lane.
func spreadDigits8(v uint32) uint64 {
	x := uint64(v/10000) | uint64(v%10000)<<32
	q := (x * 10486 >> 20) & 0x0000007F0000007F
	x = q | (x-q*100)<<16
	q = (x * 103 >> 10) & 0x000F000F000F000F
	return q | (x-q*10)<<8
}

// appendDigits8 appends v (< 1e8) as exactly eight digits.
func appendDigits8(dst []byte, v uint32) []byte {
	return binary.LittleEndian.AppendUint64(dst, spreadDigits8(v)+ascii0x8)
}

// appendLead appends v (< 1e8) without leading zeros ("0" for 0).
func appendLead(dst []byte, v uint32) []byte {
	if v < 10 {
		return append(dst, byte('0'+v))
	}
	x := spreadDigits8(v)
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], x+ascii0x8)
	// The leading zero digits are the low bytes that are 0.
	return append(dst, b[bits.TrailingZeros64(x)>>3:]...)
}

// readDigits reads the run of at most max ASCII digits at s[at:]: its
// value and the index after it. max is at most 19, so that the value
// fits a uint64.
func readDigits(s []byte, at, max int) (uint64, int) {
	lim := min(len(s), at+max)
	j := at
	var v uint64
	for j+8 <= lim {
		x := binary.LittleEndian.Uint64(s[j:])
		if !isDigits8(x) {
			break
		}
		v = v*1e8 + parseDigits8(x)
		j += 8
	}
	for ; j < lim; j++ {
		c := s[j] - '0'
		if c > 9 {
			break
		}
		v = v*10 + uint64(c)
	}
	return v, j
}
