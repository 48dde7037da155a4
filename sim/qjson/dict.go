package qjson

// Dict is a JSON object with QEMU's QDict iteration order.
//
// A QDict is 512 hash buckets; iteration walks the buckets in increasing
// index order and, inside one bucket, returns the most recently inserted key
// first. Putting a key that exists replaces its value in place. Writing a
// reply in this order is what makes the bytes match the real agent's:
// {"return": X, "id": Y} but {"id": Y, "error": {...}}.
type Dict struct {
	entries []dictEntry // insertion order
}

type dictEntry struct {
	key    string
	bucket uint32
	val    Value
}

// dictBuckets is QDICT_BUCKET_MAX.
const dictBuckets = 512

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

// Put sets key to v: in place when the key exists, else as the newest entry.
func (d *Dict) Put(key string, v Value) *Dict {
	for i := range d.entries {
		if d.entries[i].key == key {
			d.entries[i].val = v
			return d
		}
	}
	d.entries = append(d.entries, dictEntry{key: key, bucket: tdbHash(key) % dictBuckets, val: v})
	return d
}

// Get returns the value of key.
func (d *Dict) Get(key string) (Value, bool) {
	for i := range d.entries {
		if d.entries[i].key == key {
			return d.entries[i].val, true
		}
	}
	return Value{}, false
}

// Has reports whether key is present.
func (d *Dict) Has(key string) bool {
	_, ok := d.Get(key)
	return ok
}

// Each calls f for every key in QDict iteration order until f returns false.
func (d *Dict) Each(f func(key string, v Value) bool) {
	n := len(d.entries)
	if n == 0 {
		return
	}
	// Small objects are the rule (a request has at most three keys), so a
	// selection walk beats sorting: each round takes the lowest bucket, and in
	// a tie the later insertion.
	done := make([]bool, n)
	for range n {
		best := -1
		for i := n - 1; i >= 0; i-- {
			if done[i] {
				continue
			}
			if best < 0 || d.entries[i].bucket < d.entries[best].bucket {
				best = i
			}
		}
		done[best] = true
		if !f(d.entries[best].key, d.entries[best].val) {
			return
		}
	}
}

// Keys returns the keys in QDict iteration order.
func (d *Dict) Keys() []string {
	keys := make([]string, 0, len(d.entries))
	d.Each(func(k string, _ Value) bool { keys = append(keys, k); return true })
	return keys
}
