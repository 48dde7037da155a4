package qjson

import (
	"bytes"
	"math"
)

// The template. A client sends the same request again and again with
// another id: byte for byte the same object but for the digits of its
// integers. After the fast path has read an object, the decoder keeps its
// bytes and where its integers are; the next object that matches those
// bytes everywhere but in the integers' digits is the same object with
// other numbers, so the decoder sets the numbers in the objects it already
// built and is done: no scan of the strings, no lookups, no Dict built.
//
// It decides nothing the fast path would decide differently: a match needs
// the same bytes around each integer (its sign, the byte that ends it),
// the same number of digits, only digits, and no leading zero (a longer
// run starting with 0 is not a number the lexer takes); every other byte
// is compared. FuzzTemplate checks it against the slow path.

// maxTemplate is the longest object kept as a template.
const maxTemplate = 512

type template struct {
	ok   bool   // the objects of the last fast read are intact
	src  []byte // its bytes, from '{' to '}'
	root *Dict  // its top object
	nums []tnum // its integers, in order
}

// tnum is an integer of the template.
type tnum struct {
	start, end int    // its digits in src (a '-' before them is compared as it is)
	neg        bool   // a '-' before them
	dict       *Dict  // the object it is a member of
	key        string // and its name there
	v          *Value // where its value is, once the object is complete
	next       uint64 // the value read from the next object, until it matches
}

// recordInt notes an integer the fast path read, at b[start:end] (a '-'
// included), as a member key of dict.
func (d *decoder) recordInt(b []byte, start, end int, dict *Dict, key string) {
	neg := b[start] == '-'
	if neg {
		start++
	}
	d.tmpl.nums = append(d.tmpl.nums, tnum{start: start - d.objStart, end: end - d.objStart, neg: neg, dict: dict, key: key})
}

// keepTemplate makes the object just read at b[start:end] the template.
func (d *decoder) keepTemplate(b []byte, start, end int, root *Dict) {
	t := &d.tmpl
	if end-start > maxTemplate {
		t.ok = false
		return
	}
	t.src = append(t.src[:0], b[start:end]...)
	t.root = root
	for k := range t.nums {
		n := &t.nums[k]
		// Entries move while an object is built (they are kept in QDict
		// order), and a big object's are sorted when it is first walked:
		// sort them now (the order any walk gives), after which they stay
		// put.
		n.dict.order()
		n.v = n.dict.Ref(n.key)
	}
	t.ok = true
}

// fromTemplate reads the object at b[i] if it matches the template.
func (d *decoder) fromTemplate(b []byte, i int) (Value, int, bool) {
	t := &d.tmpl
	if !t.ok || len(b)-i < len(t.src) {
		return Value{}, 0, false
	}
	s := b[i : i+len(t.src)]
	prev := 0
	for k := range t.nums {
		n := &t.nums[k]
		if !bytes.Equal(s[prev:n.start], t.src[prev:n.start]) {
			return Value{}, 0, false
		}
		digits := s[n.start:n.end]
		if len(digits) > 1 && digits[0] == '0' {
			return Value{}, 0, false
		}
		// Checked and read in one pass; the value is kept aside and set
		// only once the whole object has matched.
		var v uint64
		for _, c := range digits {
			c -= '0'
			if c > 9 {
				return Value{}, 0, false
			}
			v = v*10 + uint64(c)
		}
		if v > math.MaxInt64 {
			// 19 digits the slow path makes a uint64 (or a double,
			// negative): not this template's int.
			return Value{}, 0, false
		}
		n.next = v
		prev = n.end
	}
	if !bytes.Equal(s[prev:], t.src[prev:]) {
		return Value{}, 0, false
	}
	for k := range t.nums {
		n := &t.nums[k]
		if n.neg {
			n.v.n = -n.next
		} else {
			n.v.n = n.next
		}
	}
	return ObjectValue(t.root), i + len(t.src), true
}
