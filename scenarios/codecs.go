package scenarios

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/goccy/go-yaml/ast"

	"github.com/qgasim/qgasim/sim/client"
)

// The value codecs the sections are made of.

var strCodec = codec[string]{doc: "string",
	read:   func(d *decoder, n ast.Node, path string) (string, bool) { return d.str(n, path) },
	write:  text,
	zero:   func(s string) bool { return s == "" },
	schema: func() jsonObj { return jsonObj{}.set("type", "string") },
}

// nameCodec is a string that must say something.
var nameCodec = codec[string]{doc: "string",
	read: func(d *decoder, n ast.Node, path string) (string, bool) {
		s, ok := d.str(n, path)
		if ok && strings.TrimSpace(s) == "" {
			d.errf(n, "%s must not be empty", path)
			return s, false
		}
		return s, ok
	},
	write:  text,
	zero:   func(s string) bool { return s == "" },
	schema: func() jsonObj { return jsonObj{}.set("type", "string").set("minLength", 1) },
}

var boolCodec = codec[bool]{doc: "boolean",
	read: func(d *decoder, n ast.Node, path string) (bool, bool) { return d.boolean(n, path) },
	write: func(b bool) *ynode {
		return scalarNode(strconv.FormatBool(b))
	},
	zero:   func(b bool) bool { return !b },
	schema: func() jsonObj { return jsonObj{}.set("type", "boolean") },
}

// intCodec is an integer in [lo, hi].
func intCodec[I ~int | ~int64 | ~uint8](lo, hi int64) codec[I] {
	doc := fmt.Sprintf("integer %d..%d", lo, hi)
	if hi == math.MaxInt32 || hi == math.MaxInt64 {
		doc = fmt.Sprintf("integer ≥ %d", lo)
	}
	return codec[I]{doc: doc,
		read: func(d *decoder, n ast.Node, path string) (I, bool) {
			v, ok := d.integer(n, path, lo, hi)
			return I(v), ok
		},
		write:  func(v I) *ynode { return scalarNode(strconv.FormatInt(int64(v), 10)) },
		zero:   func(v I) bool { return v == 0 },
		schema: func() jsonObj { return jsonObj{}.set("type", "integer").set("minimum", lo).set("maximum", hi) },
	}
}

var seedCodec = codec[uint64]{doc: "integer ≥ 0",
	read:   func(d *decoder, n ast.Node, path string) (uint64, bool) { return d.uint64Value(n, path) },
	write:  func(v uint64) *ynode { return scalarNode(strconv.FormatUint(v, 10)) },
	zero:   func(v uint64) bool { return v == 0 },
	schema: func() jsonObj { return jsonObj{}.set("type", "integer").set("minimum", 0) },
}

var durCodec = codec[time.Duration]{doc: "duration",
	read:   func(d *decoder, n ast.Node, path string) (time.Duration, bool) { return d.duration(n, path) },
	write:  func(v time.Duration) *ynode { return scalarNode(fmtDuration(v)) },
	zero:   func(v time.Duration) bool { return v == 0 },
	schema: func() jsonObj { return ref("duration") },
}

// positiveDur is a duration of more than 0.
var positiveDur = codec[time.Duration]{doc: "duration > 0",
	read: func(d *decoder, n ast.Node, path string) (time.Duration, bool) {
		v, ok := d.duration(n, path)
		if ok && v == 0 {
			d.errf(n, "%s must be more than 0", path)
			return 0, false
		}
		return v, ok
	},
	write:  durCodec.write,
	zero:   durCodec.zero,
	schema: durCodec.schema,
}

var timeoutCodec = codec[time.Duration]{doc: "duration, `forever` or `async`",
	read: func(d *decoder, n ast.Node, path string) (time.Duration, bool) { return d.timeout(n, path) },
	write: func(v time.Duration) *ynode {
		switch {
		case v == client.Async:
			return scalarNode("async")
		case v < 0:
			return scalarNode("forever")
		}
		return scalarNode(fmtDuration(v))
	},
	zero:   func(v time.Duration) bool { return v == 0 },
	schema: func() jsonObj { return ref("timeout") },
}

var bytesCodec = codec[[]byte]{doc: "bytes",
	read:   func(d *decoder, n ast.Node, path string) ([]byte, bool) { return d.byteString(n, path) },
	write:  func(b []byte) *ynode { return scalarNode(byteScalar(b)) },
	zero:   func(b []byte) bool { return b == nil },
	schema: func() jsonObj { return ref("bytes") },
}

// enumCodec is a string from a fixed list (valid is called when used, so
// that it may read a table).
func enumCodec(valid func() []string) codec[string] {
	return enumCodecMeant(valid, nil)
}

// enumCodecMeant is enumCodec whose error for an unknown value names the
// value it most likely means (meant: "naive" is the strategy none).
func enumCodecMeant(valid func() []string, meant func(string) string) codec[string] {
	return codec[string]{doc: "one of " + "`" + strings.Join(valid(), "`, `") + "`",
		read:   func(d *decoder, n ast.Node, path string) (string, bool) { return d.enumMeant(n, path, valid(), meant) },
		write:  strNode,
		zero:   func(s string) bool { return s == "" },
		schema: func() jsonObj { return jsonObj{}.set("enum", valid()) },
	}
}

// listOf is a list of values; a list of scalars is written on one line.
func listOf[V any](c codec[V]) codec[[]V] {
	return codec[[]V]{doc: "list of " + c.doc + "s",
		read: func(d *decoder, n ast.Node, path string) ([]V, bool) {
			var out []V
			ok := true
			for i, e := range d.list(n, path) {
				v, good := c.read(d, e, fmt.Sprintf("%s[%d]", path, i))
				ok = ok && good
				out = append(out, v)
			}
			return out, ok
		},
		write: func(vs []V) *ynode {
			l := listNode()
			for _, v := range vs {
				l.items = append(l.items, c.write(v))
			}
			l.flow = l.flowable()
			return l
		},
		zero:   func(vs []V) bool { return len(vs) == 0 },
		schema: func() jsonObj { return jsonObj{}.set("type", "array").set("items", c.schema()) },
	}
}

// mapOf is a mapping from names (a path, a command) to values; it is
// written in the order of its keys.
func mapOf[V any](keyDoc string, c codec[V]) codec[map[string]V] {
	return codec[map[string]V]{doc: "mapping " + keyDoc + " → " + c.doc,
		read: func(d *decoder, n ast.Node, path string) (map[string]V, bool) {
			out := map[string]V{}
			entries, ok := d.unique(d.entries(n, path), path)
			for _, mv := range entries {
				k := keyName(mv)
				v, good := c.read(d, mv.Value, path+"."+k)
				ok = ok && good
				out[k] = v
			}
			if len(out) == 0 {
				return nil, ok // an empty mapping is no mapping: the same when written back
			}
			return out, ok
		},
		write: func(m map[string]V) *ynode {
			n := mapNode()
			for _, k := range sortedKeys(m) {
				n.add(k, c.write(m[k]))
			}
			return n
		},
		zero:   func(m map[string]V) bool { return len(m) == 0 },
		schema: func() jsonObj { return jsonObj{}.set("type", "object").set("additionalProperties", c.schema()) },
	}
}

// ptrOf is an optional value: nil when the key is left out.
func ptrOf[V any](c codec[V]) codec[*V] {
	return codec[*V]{doc: c.doc,
		read: func(d *decoder, n ast.Node, path string) (*V, bool) {
			v, ok := c.read(d, n, path)
			if !ok {
				return nil, false
			}
			return &v, true
		},
		write:  func(v *V) *ynode { return c.write(*v) },
		zero:   func(v *V) bool { return v == nil },
		schema: c.schema,
	}
}
