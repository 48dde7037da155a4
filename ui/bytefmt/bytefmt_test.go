package bytefmt

import (
	"strings"
	"testing"
)

func TestClassOf(t *testing.T) {
	for _, tc := range []struct {
		f    Flags
		b    byte
		want Class
	}{
		{0, 'a', InFlight},
		{FHeld, 'a', Held},
		{FDelivered, 'a', Delivered},
		{FDelivered | FHeld, 'a', Delivered},
		{FLost, 'a', Dropped},
		{FLost, 0xFF, Dropped},
		{FDelivered | FChanged, 'a', Corrupted},
		{FDelivered | FChanged | FAccepted, 'a', Corrupted},
		{FDelivered | FAdded, 'a', Duplicated},
		{FDelivered, 0xFF, Sentinel},
		{0, 0xFF, Sentinel},
		{FDelivered | FDiscarded, 0xFF, Sentinel},
		{FDelivered | FDiscarded, '{', Discarded},
		{FDelivered | FAccepted, '{', Accepted},
		{FDelivered | FAccepted | FDiscarded, '{', Accepted},
	} {
		if got := ClassOf(tc.f, tc.b); got != tc.want {
			t.Errorf("ClassOf(%07b, %#x) = %v, want %v", tc.f, tc.b, got, tc.want)
		}
	}
}

func TestClassNamesDistinct(t *testing.T) {
	shorts := map[string]bool{}
	for _, c := range Classes() {
		if shorts[c.Short()] || len(c.Short()) > 8 {
			t.Errorf("short name %q repeated or too long", c.Short())
		}
		shorts[c.Short()] = true
	}
	names := map[string]Class{}
	keys := map[string]bool{}
	for _, c := range Classes() {
		k := c.Key()
		if keys[k] || strings.Trim(k, "abcdefghijklmnopqrstuvwxyz") != "" || k == "" {
			t.Errorf("key %q repeated or not lower-case letters", k)
		}
		keys[k] = true
		if prev, dup := names[c.String()]; dup {
			t.Errorf("classes %d and %d share the name %q", prev, c, c.String())
		}
		names[c.String()] = c
	}
	if Class(200).String() != "class?" {
		t.Error("unknown class has a name")
	}
}

func TestCells(t *testing.T) {
	for _, tc := range []struct {
		b    byte
		hex  string
		text rune
	}{
		{'{', "7b", '{'}, {' ', "20", ' '}, {'~', "7e", '~'}, {0x7f, "7f", '·'},
		{'\n', "0a", '¶'}, {0xFF, "ff", '█'}, {0, "00", '·'}, {0x80, "80", '·'}, {'\\', "5c", '\\'},
	} {
		if got := Hex(tc.b); got != tc.hex {
			t.Errorf("Hex(%#x) = %q, want %q", tc.b, got, tc.hex)
		}
		if got := Text(tc.b); got != tc.text {
			t.Errorf("Text(%#x) = %q, want %q", tc.b, got, tc.text)
		}
	}
}

func TestTimes(t *testing.T) {
	for _, tc := range []struct {
		ns        int64
		time, dur string
	}{
		{0, "0.000", "0s"},
		{999, "0.000", "0us"},
		{1500, "0.000", "1us"},
		{12e6, "0.012", "12ms"},
		{999999999, "0.999", "999ms"},
		{5e9, "5.000", "5.000s"},
		{6004e6, "6.004", "6.004s"},
		{3723456e6, "3723.456", "3723.456s"},
		{-1e9, "-1.000", "-1.000s"},
	} {
		if got := Time(tc.ns); got != tc.time {
			t.Errorf("Time(%d) = %q, want %q", tc.ns, got, tc.time)
		}
		if got := Duration(tc.ns); got != tc.dur {
			t.Errorf("Duration(%d) = %q, want %q", tc.ns, got, tc.dur)
		}
	}
}

func TestCountAndSpeed(t *testing.T) {
	for n, want := range map[int64]string{0: "0", 27: "27", 999: "999", 1000: "1,000", 3210: "3,210", 1234567: "1,234,567", -4500: "-4,500"} {
		if got := Count(n); got != want {
			t.Errorf("Count(%d) = %q, want %q", n, got, want)
		}
	}
	for x, want := range map[float64]string{1: "x1", 10: "x10", 0.5: "x0.500", 0.001: "x0.001", 1000: "x1000"} {
		if got := Speed(x); got != want {
			t.Errorf("Speed(%v) = %q, want %q", x, got, want)
		}
	}
}

func TestRows(t *testing.T) {
	for _, tc := range []struct{ width, per int }{
		{0, 1}, {12, 1}, {20, 2}, {40, 7}, {41, 8}, {44, 8}, {76, 16}, {78, 16}, {80, 16}, {100, 20}, {158, 32}, {400, 32},
	} {
		got := PerRow(tc.width)
		if got != tc.per {
			t.Errorf("PerRow(%d) = %d, want %d", tc.width, got, tc.per)
		}
		if tc.width >= RowWidth(1) && RowWidth(got) > tc.width {
			t.Errorf("PerRow(%d) = %d, but a row of %d is %d wide", tc.width, got, got, RowWidth(got))
		}
	}
	// Every cell maps back to its byte; the gaps and the time column map to none.
	const n = 16
	for i := 0; i < n; i++ {
		for _, col := range []int{HexColumn(i), HexColumn(i) + 1, TextColumn(i, n)} {
			if got, ok := ByteAt(col, n); !ok || got != i {
				t.Errorf("ByteAt(%d) = %d, %v, want %d", col, got, ok, i)
			}
		}
	}
	for _, col := range []int{0, TimeWidth, HexColumn(0) + 2, HexColumn(n-1) + 2, TextColumn(0, n) - 1, TextColumn(n, n)} {
		if i, ok := ByteAt(col, n); ok {
			t.Errorf("ByteAt(%d) = %d, want none", col, i)
		}
	}
}
