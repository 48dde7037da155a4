package vtime

import (
	"math"
	"testing"
	"time"
)

func TestAdd(t *testing.T) {
	h := time.Hour
	for _, c := range []struct {
		t    int64
		d    time.Duration
		want int64
	}{
		{0, h, int64(h)},
		{int64(h), 2562047 * h, Never}, // the sum a plain + wraps to a negative time
		{Never, 1, Never},
		{Never - 1, 1, Never},
		{10, -3, 7},
		{math.MinInt64, -1, math.MinInt64},
	} {
		if got := Add(c.t, c.d); got != c.want {
			t.Errorf("Add(%d, %v) = %d, want %d", c.t, c.d, got, c.want)
		}
	}
}

func TestSumAndMul(t *testing.T) {
	if _, ok := Sum(time.Hour, 2562047*time.Hour); ok {
		t.Error("1h + 2562047h fits?")
	}
	if s, ok := Sum(time.Hour, time.Second); !ok || s != time.Hour+time.Second {
		t.Errorf("Sum = %v %v", s, ok)
	}
	if _, ok := Mul(1e9, time.Second*10); ok {
		t.Error("1e9 * 10s fits?")
	}
	if m, ok := Mul(3, time.Second); !ok || m != 3*time.Second {
		t.Errorf("Mul = %v %v", m, ok)
	}
}
