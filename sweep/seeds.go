package sweep

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Seeds is an inclusive range of seeds, First to Last.
type Seeds struct{ First, Last uint64 }

// Count is the number of seeds in the range.
func (s Seeds) Count() uint64 { return s.Last - s.First + 1 }

func (s Seeds) String() string {
	if s.First == s.Last {
		return strconv.FormatUint(s.First, 10)
	}
	return strconv.FormatUint(s.First, 10) + "-" + strconv.FormatUint(s.Last, 10)
}

// ParseSeeds reads "A-B" (A to B, both included) or "N" (one seed).
func ParseSeeds(v string) (Seeds, error) {
	a, b, isRange := strings.Cut(strings.TrimSpace(v), "-")
	first, err := parseSeed(a)
	if err != nil {
		return Seeds{}, fmt.Errorf("bad seed range %q: %v (want A-B, e.g. 1-100000, or one seed N)", v, err)
	}
	last := first
	if isRange {
		if last, err = parseSeed(b); err != nil {
			return Seeds{}, fmt.Errorf("bad seed range %q: %v (want A-B, e.g. 1-100000, or one seed N)", v, err)
		}
	}
	if last < first {
		return Seeds{}, fmt.Errorf("bad seed range %q: %d comes after %d (want A-B with A <= B)", v, first, last)
	}
	if first == 0 && last == math.MaxUint64 {
		return Seeds{}, fmt.Errorf("bad seed range %q: more seeds than can be counted", v)
	}
	return Seeds{First: first, Last: last}, nil
}

func parseSeed(s string) (uint64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, fmt.Errorf("a seed is missing")
	}
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%q is not a seed (a whole number 0..%d)", s, uint64(math.MaxUint64))
	}
	return n, nil
}
