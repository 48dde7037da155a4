package qjson

import (
	"bytes"
	"math"
)

// The templates. A client sends the same few requests again and again
// with other ids: byte for byte the same object but for the digits of its
// integers. After the fast path has read an object, the decoder keeps its
// bytes and where its integers are; the next object that matches those
// bytes everywhere but in the integers' digits is the same object with
// other numbers, so the decoder sets the numbers in the objects it already
// built and is done: no scan of the strings, no lookups, no Dict built.
// It keeps a few (numTemplates): a client alternates requests (the
// delimited client's guest-sync-delimited and its command), and each
// template has objects of its own.
//
// It decides nothing the fast path would decide differently: a match needs
// the same bytes around each integer (its sign, the byte that ends it,
// which the fast path saw to be whitespace, ',' or '}'), one to 19
// digits that fit an int64, and no leading zero (a longer run starting
// with 0 is not a number the lexer takes); every other byte is compared.
// FuzzTemplate checks it against the slow path.

// numTemplates is how many objects are kept as templates.
const numTemplates = 4

// maxTemplate is the longest object kept as a template.
const maxTemplate = 512

type template struct {
	ok   bool     // the objects of the last fast read into it are intact
	src  []byte   // its bytes, from '{' to '}'
	root *Dict    // its top object
	nums []tnum   // its integers, in order
	pool dictPool // its objects
	used uint64   // the decoder's clock when it was last read or matched
	// shape numbers its objects as they now are (Message.Shape): a new
	// number each time the template is made.
	shape uint64
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
	d.built.nums = append(d.built.nums, tnum{start: start - d.objStart, end: end - d.objStart, neg: neg, dict: dict, key: key})
}

// keepTemplate makes the object just read at b[start:end] into t a
// template.
func (d *decoder) keepTemplate(t *template, b []byte, start, end int, root *Dict) {
	d.clock++
	t.used = d.clock
	if end-start > maxTemplate {
		t.pool.trim()
		return
	}
	t.src = append(t.src[:0], b[start:end]...)
	t.root = root
	d.shapes++
	t.shape = d.shapes
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

// victim is the template to read a new object into: an unused one, else
// the least recently used.
func (d *decoder) victim() *template {
	v := &d.tmpls[0]
	for k := 1; k < len(d.tmpls); k++ {
		if d.tmpls[k].used < v.used {
			v = &d.tmpls[k]
		}
	}
	return v
}

// fromTemplate reads the object at b[i] if it matches a template, and
// returns the template.
func (d *decoder) fromTemplate(b []byte, i int) (*template, int, bool) {
	for k := range d.tmpls {
		t := &d.tmpls[k]
		if !t.ok {
			continue
		}
		if end, ok := t.match(b, i); ok {
			d.clock++
			t.used = d.clock
			return t, end, true
		}
	}
	return nil, 0, false
}

// match reads the object at b[i] if it is t with other digits, sets its
// numbers and returns the index after it.
func (t *template) match(b []byte, i int) (int, bool) {
	s := b[i:]
	at, prev := 0, 0 // in s, in t.src
	for k := range t.nums {
		n := &t.nums[k]
		seg := t.src[prev:n.start]
		if len(s)-at < len(seg) || !bytes.Equal(s[at:at+len(seg)], seg) {
			return 0, false
		}
		at += len(seg)
		// Checked and read in one pass; the value is kept aside and set
		// only once the whole object has matched. A run of more than
		// fastIntDigits digits stops here and fails on the byte after.
		v, j := readDigits(s, at, fastIntDigits)
		if j == at || j-at > 1 && s[at] == '0' || v > math.MaxInt64 {
			// No digits; a leading zero; or 19 digits the slow path
			// makes a uint64 (or a double, negative): not this
			// template's int.
			return 0, false
		}
		n.next = v
		at, prev = j, n.end
	}
	seg := t.src[prev:]
	if len(s)-at < len(seg) || !bytes.Equal(s[at:at+len(seg)], seg) {
		return 0, false
	}
	for k := range t.nums {
		n := &t.nums[k]
		if n.neg {
			n.v.n = -n.next
		} else {
			n.v.n = n.next
		}
	}
	return i + at + len(seg), true
}
