package fault

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/qgasim/qgasim/sim/trace"
)

// params reads a Spec's parameters by name and collects every problem.
type params struct {
	kind string
	m    map[string]any
	errs []string
}

func (p *params) bad(name, want string, v any) {
	p.errs = append(p.errs, fmt.Sprintf("%s: parameter %q: want %s, got %v", p.kind, name, want, v))
}

func (p *params) float(name string, def, lo, hi float64) float64 {
	v, ok := p.m[name]
	if !ok {
		return def
	}
	var f float64
	switch x := v.(type) {
	case float64:
		f = x
	case float32:
		f = float64(x)
	case int:
		f = float64(x)
	case int64:
		f = float64(x)
	case uint64:
		f = float64(x)
	default:
		p.bad(name, "a number", v)
		return def
	}
	if math.IsNaN(f) || f < lo || f > hi {
		p.bad(name, fmt.Sprintf("a number in [%g, %g]", lo, hi), v)
		return def
	}
	return f
}

func (p *params) int(name string, def, lo, hi int) int {
	v, ok := p.m[name]
	if !ok {
		return def
	}
	var n int64
	switch x := v.(type) {
	case int:
		n = int64(x)
	case int64:
		n = x
	case uint64:
		n = int64(x)
	case float64:
		if x != math.Trunc(x) {
			p.bad(name, "an integer", v)
			return def
		}
		n = int64(x)
	default:
		p.bad(name, "an integer", v)
		return def
	}
	if n < int64(lo) || n > int64(hi) {
		p.bad(name, fmt.Sprintf("an integer in [%d, %d]", lo, hi), v)
		return def
	}
	return int(n)
}

// duration accepts a time.Duration, a Go duration string ("150ms") or a
// number of nanoseconds.
func (p *params) duration(name string, def time.Duration) time.Duration {
	v, ok := p.m[name]
	if !ok {
		return def
	}
	var d time.Duration
	switch x := v.(type) {
	case time.Duration:
		d = x
	case string:
		var err error
		if d, err = time.ParseDuration(x); err != nil {
			p.bad(name, `a duration such as "150ms"`, v)
			return def
		}
	case int:
		d = time.Duration(x)
	case int64:
		d = time.Duration(x)
	default:
		p.bad(name, `a duration such as "150ms"`, v)
		return def
	}
	if d < 0 {
		p.bad(name, "a duration >= 0", v)
		return def
	}
	return d
}

// bytes accepts []byte, or a string in the trace's readable form (\xff for
// the sentinel, \\ for a backslash).
func (p *params) bytes(name string, def []byte) []byte {
	v, ok := p.m[name]
	if !ok {
		return def
	}
	switch x := v.(type) {
	case []byte:
		return x
	case string:
		b, err := trace.Unquote(x)
		if err != nil {
			p.bad(name, `bytes such as "\xff"`, v)
			return def
		}
		return b
	}
	p.bad(name, `bytes such as "\xff"`, v)
	return def
}

// done reports unknown parameters (listing the valid ones) and every bad
// value.
func (p *params) done(valid ...string) error {
	ok := map[string]bool{}
	for _, v := range valid {
		ok[v] = true
	}
	var unknown []string
	for k := range p.m {
		if !ok[k] {
			unknown = append(unknown, k)
		}
	}
	sort.Strings(unknown)
	for _, k := range unknown {
		list := "none"
		if len(valid) > 0 {
			list = strings.Join(valid, ", ")
		}
		p.errs = append(p.errs, fmt.Sprintf("%s: unknown parameter %q (valid: %s)", p.kind, k, list))
	}
	if len(p.errs) > 0 {
		return fmt.Errorf("fault %s", strings.Join(p.errs, "; "))
	}
	return nil
}
