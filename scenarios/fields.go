package scenarios

import (
	"fmt"
	"sort"
	"strings"

	"github.com/goccy/go-yaml/ast"
)

// codec is how one type of value is read from YAML, written back, shown in
// the JSON Schema and named in the docs. The format's sections are tables
// of keys, each a name, a codec, where the value lives in the model, and a
// line of doc: the loader, the writer, the schema and the docs all come
// from those tables, so they cannot disagree.
type codec[V any] struct {
	doc  string // the type as the docs say it: "duration", "integer 1..255"
	read func(d *decoder, n ast.Node, path string) (V, bool)
	// into, when set, reads into a value that already holds its defaults
	// (a section: the keys left out keep them).
	into   func(d *decoder, n ast.Node, path string, v *V)
	write  func(v V) *ynode
	zero   func(v V) bool // a zero value is left out of a written file
	schema func() jsonObj
}

// key is one key of a section whose values are of type T.
type key[T any] struct {
	name   string
	doc    string // one line: what it means
	def    string // the default as the docs say it; "" for none
	typ    string
	always bool // written even when zero (the loader's default is not zero)
	read   func(d *decoder, n ast.Node, path string, t *T)
	write  func(t *T) (*ynode, bool)
	schema func() jsonObj
}

// field declares a key whose value is the V that get points to in T.
func field[T, V any](name string, c codec[V], get func(*T) *V, def, doc string) key[T] {
	return key[T]{name: name, doc: doc, def: def, typ: c.doc,
		read: func(d *decoder, n ast.Node, path string, t *T) {
			if c.into != nil {
				c.into(d, n, path, get(t))
				return
			}
			if v, ok := c.read(d, n, path); ok {
				*get(t) = v
			}
		},
		write: func(t *T) (*ynode, bool) {
			v := *get(t)
			if c.zero(v) {
				return nil, false
			}
			return c.write(v), true
		},
		schema: func() jsonObj { return withDoc(c.schema(), doc, def) },
	}
}

// fieldAlways is a field that is written even when its value is zero:
// the loader's default for it is not the zero value (seed, duration).
func fieldAlways[T, V any](name string, c codec[V], get func(*T) *V, def, doc string) key[T] {
	k := field(name, c, get, def, doc)
	k.always = true
	k.write = func(t *T) (*ynode, bool) { return c.write(*get(t)), true }
	return k
}

// section is the keys of a mapping, in the order a written file has them.
type section[T any] []key[T]

func (s section[T]) names() []string {
	names := make([]string, len(s))
	for i, k := range s {
		names[i] = k.name
	}
	return names
}

// read decodes a mapping into t: an unknown key or a key given twice is a
// problem that lists the valid keys. It returns the value node of each key
// given, for checks across keys.
func (s section[T]) read(d *decoder, n ast.Node, what string, t *T) map[string]ast.Node {
	seen := map[string]ast.Node{}
	entries, _ := d.unique(d.entries(n, what), what)
	for _, mv := range entries {
		k := keyName(mv)
		seen[k] = mv.Value
		found := false
		for _, key := range s {
			if key.name == k {
				key.read(d, mv.Value, childPath(what, k), t)
				found = true
				break
			}
		}
		if !found {
			valid := s.names()
			sort.Strings(valid)
			d.errf(mv.Key, "%s: unknown key %q (valid: %s)", what, k, oneOf(valid))
		}
	}
	return seen
}

// topName names the top level in messages; its keys' paths are bare
// ("duration", "agent.latency").
const topName = "scenario"

func childPath(what, k string) string {
	if what == topName {
		return k
	}
	return what + "." + k
}

// write is the mapping of t's keys that are not left out.
func (s section[T]) write(t *T) *ynode {
	m := mapNode()
	for _, k := range s {
		if v, ok := k.write(t); ok {
			m.add(k.name, v)
		}
	}
	return m
}

// codec makes a section the codec of a nested mapping.
func (s section[T]) codec(doc string) codec[T] {
	return codec[T]{doc: doc,
		read: func(d *decoder, n ast.Node, path string) (T, bool) {
			var t T
			n0 := len(d.probs)
			s.read(d, n, path, &t)
			return t, len(d.probs) == n0
		},
		into:  func(d *decoder, n ast.Node, path string, t *T) { s.read(d, n, path, t) },
		write: func(t T) *ynode { return s.write(&t) },
		zero: func(t T) bool {
			return len(s.write(&t).keys) == 0
		},
		schema: func() jsonObj { return s.schema() },
	}
}

func (s section[T]) schema() jsonObj {
	props := jsonObj{}
	for _, k := range s {
		props = props.set(k.name, k.schema())
	}
	return jsonObj{}.set("type", "object").set("additionalProperties", false).set("properties", props)
}

// table is the section as a Markdown table for the docs.
func (s section[T]) table() string {
	var b strings.Builder
	b.WriteString("| key | type | default | meaning |\n|---|---|---|---|\n")
	for _, k := range s {
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", k.name, k.typ, k.def, k.doc)
	}
	return b.String()
}

// custom declares a key that reads and writes itself (steps, faults, link).
func custom[T any](name, typ, def, doc string, read func(d *decoder, n ast.Node, path string, t *T),
	write func(t *T) (*ynode, bool), schema func() jsonObj) key[T] {
	return key[T]{name: name, doc: doc, def: def, typ: typ, read: read, write: write,
		schema: func() jsonObj { return withDoc(schema(), doc, def) }}
}

func withDoc(o jsonObj, doc, def string) jsonObj {
	if doc == "" {
		return o
	}
	text := strings.TrimSuffix(doc, ".")
	if def != "" {
		text += " (default " + strings.Trim(def, "`") + ")"
	}
	return o.set("description", plainDoc(text)+".")
}

// plainDoc strips Markdown from a line of doc for the JSON Schema.
func plainDoc(s string) string { return strings.ReplaceAll(s, "`", "") }
