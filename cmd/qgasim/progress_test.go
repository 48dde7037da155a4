package main

import (
	"strings"
	"testing"
	"time"
)

// The time left of a sweep of 10^14 seeds is past what a Duration holds:
// it is said to be long, never a negative time.
func TestProgressTimeLeftDoesNotWrap(t *testing.T) {
	start := time.Unix(1000, 0)
	p := &progress{total: 99_999_999_999_999, start: start}
	for _, c := range []struct {
		done uint64
		el   time.Duration
		want string
	}{
		{29248, 5 * time.Second, "more than 100 years"},
		{1, time.Second, "more than 100 years"},
		{50, time.Second, "more than 100 years"},
	} {
		got := p.left(c.done, start.Add(c.el))
		if got != c.want || strings.HasPrefix(got, "-") {
			t.Errorf("%d done after %v: %q left, want %q", c.done, c.el, got, c.want)
		}
	}
	p.total = 100
	if got := p.left(50, start.Add(10*time.Second)); got != "10s" {
		t.Errorf("half of 100 in 10s: %q left, want 10s", got)
	}
}
