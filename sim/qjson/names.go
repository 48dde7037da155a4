package qjson

// Names is a small set of strings numbered in the order they were added,
// looked up by a cheap hash of a few bytes and the length. It is the hot
// path's replacement for a map: the parser interns member and command names
// with it, and the agent finds a command by name. Lookups do not allocate.
type Names struct {
	slots   []int32 // index+1 into list, 0 for an empty slot
	list    []string
	buckets []uint32 // each string's QDict bucket, for the parser's fast path
	shared  bool     // slots belong to another Names too: copy before writing
}

func namesHash[T string | []byte](s T) uint32 {
	n := len(s)
	if n == 0 {
		return 0
	}
	h := uint32(n)*0x9E3779B1 ^ uint32(s[0])*0x85EBCA77 ^ uint32(s[n-1])*0xC2B2AE3D ^ uint32(s[n/2])*0x27D4EB2F
	return h ^ h>>15
}

// Share returns a Names that reads t's tables without copying them, for
// many parsers that intern the same strings (an agent in each run of a
// sweep). Adding to it copies first: t is never changed through it.
func (t *Names) Share() Names {
	return Names{slots: t.slots, list: t.list[:len(t.list):len(t.list)],
		buckets: t.buckets[:len(t.buckets):len(t.buckets)], shared: true}
}

// Add adds s (once) and returns its number.
func (t *Names) Add(s string) int {
	if i := t.Index(s); i >= 0 {
		return i
	}
	if t.shared {
		// list and buckets are capped: appending copies them.
		t.slots, t.shared = append([]int32(nil), t.slots...), false
	}
	t.list = append(t.list, s)
	t.buckets = append(t.buckets, tdbHash(s)%dictBuckets)
	if 2*len(t.list) > len(t.slots) {
		t.rehash()
	} else {
		t.place(len(t.list) - 1)
	}
	return len(t.list) - 1
}

func (t *Names) rehash() {
	size := 16
	for size < 4*len(t.list) {
		size *= 2
	}
	t.slots = make([]int32, size)
	for i := range t.list {
		t.place(i)
	}
}

func (t *Names) place(i int) {
	mask := uint32(len(t.slots) - 1)
	for h := namesHash(t.list[i]) & mask; ; h = (h + 1) & mask {
		if t.slots[h] == 0 {
			t.slots[h] = int32(i + 1)
			return
		}
	}
}

// Index returns the number of s, or -1.
func (t *Names) Index(s string) int {
	if len(t.slots) == 0 {
		return -1
	}
	mask := uint32(len(t.slots) - 1)
	for h := namesHash(s) & mask; ; h = (h + 1) & mask {
		k := t.slots[h]
		if k == 0 {
			return -1
		}
		if t.list[k-1] == s {
			return int(k - 1)
		}
	}
}

// IndexBytes is Index for the bytes of a string, without converting them.
func (t *Names) IndexBytes(b []byte) int {
	if len(t.slots) == 0 {
		return -1
	}
	mask := uint32(len(t.slots) - 1)
	for h := namesHash(b) & mask; ; h = (h + 1) & mask {
		k := t.slots[h]
		if k == 0 {
			return -1
		}
		if t.list[k-1] == string(b) {
			return int(k - 1)
		}
	}
}

// Get returns the string numbered i.
func (t *Names) Get(i int) string { return t.list[i] }

// Len returns how many strings the set holds.
func (t *Names) Len() int { return len(t.list) }
