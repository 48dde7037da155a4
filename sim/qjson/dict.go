package qjson

import (
	"cmp"
	"slices"
)

// Dict is a JSON object with QEMU's QDict iteration order.
//
// A QDict is 512 hash buckets; iteration walks the buckets in increasing
// index order and, inside one bucket, returns the most recently inserted key
// first. Putting a key that exists replaces its value in place. Writing a
// reply in this order is what makes the bytes match the real agent's:
// {"return": X, "id": Y} but {"id": Y, "error": {...}}.
type Dict struct {
	entries  []dictEntry // in QDict iteration order unless unsorted
	seq      int32       // insertions so far, to put the newest first in a bucket
	unsorted bool        // a big Dict appends and sorts when it is walked
	index    map[string]struct{}
}

type dictEntry struct {
	key    string
	bucket uint32
	seq    int32
	val    Value
}

// dictBuckets is QDICT_BUCKET_MAX.
const dictBuckets = 512

// smallDict is how many keys a Dict keeps sorted as they come and checks
// for duplicates by a linear scan. Requests have at most three keys; a
// hostile object may have half a million, and must not cost N squared.
const smallDict = 16

// tdbHash is the hash QDict uses to choose a bucket (the "tdb" string hash).
func tdbHash(key string) uint32 {
	value := 0x238F13AF * uint32(len(key))
	for i := 0; i < len(key); i++ {
		value += uint32(key[i]) << (uint(i) * 5 % 24)
	}
	return 1103515243*value + 12345
}

// Bucket returns the QDict bucket of a key (exported for tests and docs).
func Bucket(key string) int { return int(tdbHash(key) % dictBuckets) }

// NewDict returns an empty Dict.
func NewDict() *Dict { return &Dict{} }

// Len returns the number of keys.
func (d *Dict) Len() int { return len(d.entries) }

// Reset empties the Dict and keeps its memory (unless it was big), for a
// caller that builds one object after another.
func (d *Dict) Reset() {
	// The old entries are not cleared: they are overwritten by the next
	// objects, and until then keep at most a few small values alive.
	if cap(d.entries) > 4*smallDict {
		d.entries = nil
	} else {
		d.entries = d.entries[:0]
	}
	d.seq, d.unsorted, d.index = 0, false, nil
}

// Key is a member name with its QDict bucket worked out once, for code that
// puts the same names again and again (the agent's replies).
type Key struct {
	name   string
	bucket uint32
}

// NewKey returns the Key of a member name.
func NewKey(name string) Key { return Key{name, tdbHash(name) % dictBuckets} }

// PutKey is Put with a Key.
func (d *Dict) PutKey(k Key, v Value) *Dict { return d.put(k.name, k.bucket, v) }

// Put sets key to v: in place when the key exists, else as the newest entry.
func (d *Dict) Put(key string, v Value) *Dict { return d.put(key, noBucket, v) }

// noBucket asks put to hash the key itself.
const noBucket = ^uint32(0)

func (d *Dict) put(key string, b uint32, v Value) *Dict {
	if d.index == nil || d.has(key) {
		for i := range d.entries {
			if d.entries[i].key == key {
				d.entries[i].val = v
				return d
			}
		}
	}
	return d.insert(key, b, v)
}

// insert adds a key the Dict does not hold.
func (d *Dict) insert(key string, b uint32, v Value) *Dict {
	*d.add(key, b) = v
	return d
}

// add makes room for a key the Dict does not hold and returns where its
// value goes: the parser fills it in place (a Value is 64 bytes, and the
// hot path builds three entries a request).
func (d *Dict) add(key string, b uint32) *Value {
	if b == noBucket {
		b = tdbHash(key) % dictBuckets
	}
	seq := d.seq
	d.seq++
	if d.index != nil {
		d.index[key] = struct{}{}
	}
	var e *dictEntry
	if d.unsorted || len(d.entries) >= smallDict {
		// Big: append now, sort when walked.
		if d.index == nil {
			d.index = make(map[string]struct{}, 2*len(d.entries))
			for i := range d.entries {
				d.index[d.entries[i].key] = struct{}{}
			}
			d.index[key] = struct{}{}
		}
		d.entries = append(d.entries, dictEntry{})
		d.unsorted = true
		e = &d.entries[len(d.entries)-1]
	} else {
		// Small: insert in iteration order, the newest before the others
		// of its bucket.
		i := len(d.entries)
		for i > 0 && d.entries[i-1].bucket >= b {
			i--
		}
		d.entries = append(d.entries, dictEntry{})
		if i < len(d.entries)-1 {
			copy(d.entries[i+1:], d.entries[i:])
			d.entries[i] = dictEntry{}
		}
		e = &d.entries[i]
	}
	e.key, e.bucket, e.seq = key, b, seq
	return &e.val
}

func (d *Dict) has(key string) bool {
	_, ok := d.index[key]
	return ok
}

// order puts the entries in QDict iteration order: buckets in increasing
// index order, the most recently inserted first inside a bucket.
func (d *Dict) order() {
	if !d.unsorted {
		return
	}
	slices.SortFunc(d.entries, func(a, b dictEntry) int {
		if a.bucket != b.bucket {
			return cmp.Compare(a.bucket, b.bucket)
		}
		return cmp.Compare(b.seq, a.seq)
	})
	d.unsorted = false
}

// Get returns the value of key.
func (d *Dict) Get(key string) (Value, bool) {
	if d.index != nil && !d.has(key) {
		return Value{}, false
	}
	for i := range d.entries {
		if d.entries[i].key == key {
			return d.entries[i].val, true
		}
	}
	return Value{}, false
}

// Ref returns where the value of key is kept, or nil: a caller that only
// reads it saves copying it.
func (d *Dict) Ref(key string) *Value {
	if d.index != nil && !d.has(key) {
		return nil
	}
	for i := range d.entries {
		if d.entries[i].key == key {
			return &d.entries[i].val
		}
	}
	return nil
}

// Has reports whether key is present.
func (d *Dict) Has(key string) bool {
	if d.index != nil {
		return d.has(key)
	}
	for i := range d.entries {
		if d.entries[i].key == key {
			return true
		}
	}
	return false
}

// Each calls f for every key in QDict iteration order until f returns false.
func (d *Dict) Each(f func(key string, v Value) bool) {
	d.order()
	for i := range d.entries {
		if !f(d.entries[i].key, d.entries[i].val) {
			return
		}
	}
}

// At returns the i-th key and value in QDict iteration order, for a walk
// without a callback.
func (d *Dict) At(i int) (string, Value) {
	d.order()
	return d.entries[i].key, d.entries[i].val
}

// Keys returns the keys in QDict iteration order.
func (d *Dict) Keys() []string {
	d.order()
	keys := make([]string, 0, len(d.entries))
	for i := range d.entries {
		keys = append(keys, d.entries[i].key)
	}
	return keys
}
