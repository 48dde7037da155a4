package qjson

import "math"

// The fast path. Most of what an agent reads is small, well-formed
// requests: an object whose keys and values are plain ASCII strings, short
// integers and objects of the same kind. For such an object, lexing it byte
// by byte, queueing its tokens and parsing the queue gives a result known in
// advance: the object itself, emitted at its closing brace, with the lexer
// back in IN_START. fastObject reads such an object straight from the input
// and gives up (leaving the slow path to do everything) at the first byte
// outside that small grammar. It never decides anything the slow path would
// decide differently: FuzzParser checks the two against each other.
//
// The grammar, with ws one of space, \t, \r, \n (what IN_START skips):
//
//	object  = '{' ws* [ member ( ws* ',' ws* member )* ] ws* '}'
//	member  = string ws* ':' ws* value
//	value   = string | integer | object            (objects at most 4 deep)
//	string  = '"' ( 0x20..0x7E except '"' and '\' )* '"'
//	integer = [ '-' ] ( '0' | [1-9][0-9]{0,18} )   followed by ws, ',' or '}',
//	          at most math.MaxInt64 in magnitude
//
// Duplicate keys give up (the slow path reports them). An object longer than
// fastMaxLen gives up too, so that no limit of the streamer can be reached.

const (
	fastMaxDepth = 4
	fastMaxLen   = 1 << 20
)

// fastObject tries b[i:], which starts with '{', as a whole simple object.
// It returns the value, the index after the closing brace and the
// object's shape (Message.Shape: its template's, 0 if it is none).
func (d *decoder) fastObject(b []byte, i int) (Value, int, uint64, bool) {
	if len(b)-i > fastMaxLen {
		b = b[:i+fastMaxLen]
	}
	if t, end, ok := d.fromTemplate(b, i); ok {
		return ObjectValue(t.root), end, t.shape, true
	}
	// Read into the least recently used template's objects: it is no
	// template until the object is complete.
	t := d.victim()
	t.ok = false
	t.nums = t.nums[:0]
	t.pool.n = 0
	d.pool, d.built, d.objStart = &t.pool, t, i
	dict, end, ok := d.fastObj(b, i, 0)
	d.pool, d.built = &d.slow, nil
	if !ok {
		t.pool.trim()
		return Value{}, end, 0, false
	}
	d.keepTemplate(t, b, i, end, dict)
	var shape uint64
	if t.ok {
		shape = t.shape
	}
	return ObjectValue(dict), end, shape, true
}

func fastWS(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t') {
		i++
	}
	return i
}

func (d *decoder) fastObj(b []byte, i, depth int) (*Dict, int, bool) {
	dict := d.newDict()
	i = fastWS(b, i+1)
	if i < len(b) && b[i] == '}' {
		return dict, i + 1, true
	}
	for {
		key, kb, j, ok := d.fastKey(b, i)
		if !ok {
			return nil, 0, false
		}
		i = fastWS(b, j)
		if i >= len(b) || b[i] != ':' {
			return nil, 0, false
		}
		i = fastWS(b, i+1)
		if i >= len(b) {
			return nil, 0, false
		}
		if dict.Len() > 0 && dict.Has(key) {
			return nil, 0, false
		}
		// The value is read straight into its entry; on a failure the
		// whole object is dropped, entry and all.
		v := dict.add(key, kb)
		switch c := b[i]; {
		case c == '"':
			var s string
			s, i, ok = d.fastStr(b, i)
			v.Kind, v.S = String, s
		case c == '{':
			if depth >= fastMaxDepth {
				return nil, 0, false
			}
			var o *Dict
			o, i, ok = d.fastObj(b, i, depth+1)
			v.Kind, v.O = Object, o
		case c == '-' || c >= '0' && c <= '9':
			var n int64
			start := i
			n, i, ok = fastInt(b, i)
			v.Kind, v.n = Int, uint64(n)
			if ok {
				d.recordInt(b, start, i, dict, key)
			}
		default:
			return nil, 0, false
		}
		if !ok {
			return nil, 0, false
		}
		i = fastWS(b, i)
		if i >= len(b) {
			return nil, 0, false
		}
		switch b[i] {
		case ',':
			i = fastWS(b, i+1)
		case '}':
			return dict, i + 1, true
		default:
			return nil, 0, false
		}
	}
}

// fastKey is fastStr for a member name: it also returns the name's QDict
// bucket when the name is interned (noBucket otherwise).
func (d *decoder) fastKey(b []byte, i int) (string, uint32, int, bool) {
	body, j, ok := fastBody(b, i)
	if !ok {
		return "", 0, 0, false
	}
	if k := d.intern.IndexBytes(body); k >= 0 {
		return d.intern.Get(k), d.intern.buckets[k], j, true
	}
	return string(body), noBucket, j, true
}

// fastBody finds the body of a plain string at b[i] and the index after it.
func fastBody(b []byte, i int) ([]byte, int, bool) {
	if i >= len(b) || b[i] != '"' {
		return nil, 0, false
	}
	j := i + 1
	for j < len(b) && plainByte[b[j]] { // printable ASCII but '"' and '\\' (writer.go)
		j++
	}
	if j >= len(b) || b[j] != '"' {
		return nil, 0, false
	}
	return b[i+1 : j], j + 1, true
}

// fastStr reads a plain string at b[i].
func (d *decoder) fastStr(b []byte, i int) (string, int, bool) {
	body, j, ok := fastBody(b, i)
	if !ok {
		return "", 0, false
	}
	if k := d.intern.IndexBytes(body); k >= 0 {
		return d.intern.Get(k), j, true
	}
	return string(body), j, true
}

// fastInt reads an integer of at most 19 digits that fits an int64 at
// b[i] (the slow path makes it an int too: a sync id is 63 random bits);
// the byte after it must be there and end it (the caller checks it is ws,
// ',' or '}', which rules out the '.', 'e', 'E' and digits that would make
// the lexer go on).
func fastInt(b []byte, i int) (int64, int, bool) {
	start := i
	if b[i] == '-' {
		i++
	}
	digits := i
	var n uint64 // 19 digits never overflow it
	if i < len(b) && b[i] == '0' {
		i++
	} else {
		for i < len(b) && b[i] >= '0' && b[i] <= '9' && i-digits < fastIntDigits {
			n = n*10 + uint64(b[i]-'0')
			i++
		}
	}
	if i == digits || i >= len(b) || b[i] >= '0' && b[i] <= '9' || n > math.MaxInt64 {
		return 0, 0, false
	}
	if start != digits {
		return -int64(n), i, true
	}
	return int64(n), i, true
}

// fastIntDigits is the most digits fastInt and the template read: any
// number of 19 digits fits a uint64, so one over math.MaxInt64 (which the
// slow path makes a uint64) is seen and given up.
const fastIntDigits = 19
