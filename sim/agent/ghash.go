package agent

// strSet reproduces the iteration order of a GLib GHashTable of strings
// (g_str_hash, open addressing with quadratic probing, the GLib 2.74 growth
// and shrink rules). QEMU's QAPI input visitor keeps the argument names it
// has not visited yet in such a table and, when more than one is left,
// reports the first in the table's order as "Parameter '%s' is unexpected".
// To name the same key as the real agent, the simulator keeps the same table.
type strSet struct {
	shift     uint
	mod       uint32
	hashes    []uint32 // 0 unused, 1 tombstone, >= 2 a key's hash
	keys      []string
	nnodes    int
	noccupied int
}

const (
	hashUnused    = 0
	hashTombstone = 1
	hashMinShift  = 3
)

// primeMod is GLib's prime_mod table: the modulus used for a table of 1<<shift slots.
var primeMod = [...]uint32{1, 2, 3, 7, 13, 31, 61, 127, 251, 509, 1021, 2039, 4093, 8191, 16381,
	32749, 65521, 131071, 262139, 524287, 1048573, 2097143, 4194301, 8388593, 16777213,
	33554393, 67108859, 134217689, 268435399, 536870909, 1073741789, 2147483647}

func newStrSet() *strSet {
	s := &strSet{}
	s.setShift(hashMinShift)
	s.hashes = make([]uint32, 1<<s.shift)
	s.keys = make([]string, 1<<s.shift)
	return s
}

func (s *strSet) setShift(shift uint) {
	s.shift = shift
	s.mod = primeMod[shift]
}

func (s *strSet) size() int             { return 1 << s.shift }
func (s *strSet) mask() uint32          { return uint32(s.size() - 1) }
func (s *strSet) index(h uint32) uint32 { return (h * 11) % s.mod }

// gStrHash is GLib's g_str_hash (djb2 over signed chars).
func gStrHash(key string) uint32 {
	h := uint32(5381)
	for i := 0; i < len(key); i++ {
		h = h<<5 + h + uint32(int32(int8(key[i])))
	}
	if h < 2 {
		h = 2
	}
	return h
}

// lookup returns the slot of key, or the slot where it would go.
func (s *strSet) lookup(key string, h uint32) (slot uint32, found bool) {
	i := s.index(h)
	step := uint32(0)
	tomb := -1
	for s.hashes[i] != hashUnused {
		if s.hashes[i] == h && s.keys[i] == key {
			return i, true
		}
		if s.hashes[i] == hashTombstone && tomb < 0 {
			tomb = int(i)
		}
		step++
		i = (i + step) & s.mask()
	}
	if tomb >= 0 {
		return uint32(tomb), false
	}
	return i, false
}

func (s *strSet) insert(key string) {
	h := gStrHash(key)
	i, found := s.lookup(key, h)
	if found {
		return
	}
	wasUnused := s.hashes[i] == hashUnused
	s.hashes[i] = h
	s.keys[i] = key
	s.nnodes++
	if wasUnused {
		s.noccupied++
		s.maybeResize()
	}
}

func (s *strSet) remove(key string) {
	i, found := s.lookup(key, gStrHash(key))
	if !found {
		return
	}
	s.hashes[i] = hashTombstone
	s.keys[i] = ""
	s.nnodes--
	s.maybeResize()
}

func (s *strSet) maybeResize() {
	size := s.size()
	if (size > s.nnodes*4 && size > 1<<hashMinShift) || size <= s.noccupied+s.noccupied/16 {
		s.resize()
	}
}

// resize re-places every key in a table sized for the current count, with
// GLib's in-place eviction walk, which decides the order a reader sees.
func (s *strSet) resize() {
	oldSize := s.size()
	n := int(float64(s.nnodes) * 1.333)
	shift := uint(0)
	for ; n != 0; shift++ {
		n >>= 1
	}
	s.setShift(max(shift, hashMinShift))
	newSize := s.size()
	if newSize > oldSize {
		s.hashes = append(s.hashes, make([]uint32, newSize-oldSize)...)
		s.keys = append(s.keys, make([]string, newSize-oldSize)...)
	}
	placed := make([]bool, max(newSize, oldSize))
	for i := 0; i < oldSize; i++ {
		h := s.hashes[i]
		if h < 2 {
			s.hashes[i] = hashUnused
			continue
		}
		if placed[i] {
			continue
		}
		s.hashes[i] = hashUnused
		key := s.keys[i]
		s.keys[i] = ""
		for {
			j := s.index(h)
			step := uint32(0)
			for placed[j] {
				step++
				j = (j + step) & s.mask()
			}
			placed[j] = true
			oldH, oldKey := s.hashes[j], s.keys[j]
			s.hashes[j], s.keys[j] = h, key
			if oldH < 2 {
				break
			}
			h, key = oldH, oldKey
		}
	}
	if newSize < oldSize {
		s.hashes = s.hashes[:newSize]
		s.keys = s.keys[:newSize]
	}
	s.noccupied = s.nnodes
}

// first returns the first key in iteration order.
func (s *strSet) first() (string, bool) {
	for i, h := range s.hashes {
		if h >= 2 {
			return s.keys[i], true
		}
	}
	return "", false
}
