package agent

import (
	"sort"
	"strconv"
)

// Linux lists a sysfs directory (kernfs) in the order of a hash of the
// entry names, not by name: /sys/devices/system/cpu gives cpu1 before cpu0,
// and the memory blocks come out as memory3, memory12, memory1, ... The real
// agent lists processors and memory blocks in that order, so the simulated
// one does too. kernfsHash is the kernel's kernfs_name_hash for a name
// outside any namespace (the string hash of fs/namei.h, then hash_long).
func kernfsHash(name string) uint32 {
	var h uint64
	for i := 0; i < len(name); i++ {
		c := uint64(name[i])
		h = (h + c<<4 + c>>4) * 11
	}
	const goldenRatio64 = 0x61C8864680B583EB
	v := uint32(h*goldenRatio64>>32) & 0x7fffffff
	switch {
	case v < 2: // 0, 1 and INT_MAX are kept for "." and ".."
		v += 2
	case v >= 0x7fffffff:
		v = 0x7fffffff - 1
	}
	return v
}

// kernfsOrder sorts the indexes 0..n-1 of entries named prefix+id(i) in
// sysfs order: by hash, then by name.
func kernfsOrder(n int, prefix string, id func(i int) string) []int {
	type entry struct {
		i    int
		name string
		hash uint32
	}
	entries := make([]entry, n)
	for i := range entries {
		name := prefix + id(i)
		entries[i] = entry{i, name, kernfsHash(name)}
	}
	sort.SliceStable(entries, func(x, y int) bool {
		if entries[x].hash != entries[y].hash {
			return entries[x].hash < entries[y].hash
		}
		return entries[x].name < entries[y].name
	})
	order := make([]int, n)
	for k, e := range entries {
		order[k] = e.i
	}
	return order
}

func itoa(i int64) string { return strconv.FormatInt(i, 10) }

func utoa(u uint64) string { return strconv.FormatUint(u, 10) }
