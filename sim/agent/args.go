package agent

import (
	"strconv"

	"github.com/qgasim/qgasim/sim/qjson"
)

// args reads a command's arguments the way QEMU's QAPI input visitor does:
// members in schema order, a missing mandatory member or a member of the
// wrong type is the first error, and once every member is read any key left
// over is "unexpected" (the first of them in GHashTable order).
type args struct {
	dict   *qjson.Dict
	prefix string  // "vcpus[0]." inside a list of structs, "" at the top
	left   *strSet // keys not read yet; built lazily, most requests need none
	err    *cmdError
	count  int // keys read
}

// full is a member's name as QEMU's visitor reports it: its path from the
// top ("vcpus[0].online").
func (a *args) full(name string) string {
	if a.prefix == "" {
		return name
	}
	return a.prefix + name
}

// get finds a member. The value stays in the arguments' Dict, which lives
// while the command runs: a pointer saves copying it.
func (a *args) get(name string, optional bool) (*qjson.Value, bool) {
	if a.err != nil {
		return nil, false
	}
	v := a.dict.Ref(name)
	if v == nil {
		if !optional {
			a.err = genericError("Parameter '" + a.full(name) + "' is missing")
		}
		return nil, false
	}
	a.consume(name)
	return v, true
}

func (a *args) consume(name string) {
	a.count++
	if a.dict.Len() > 1 { // with one key, nothing else can be left over
		a.leftOver().remove(name)
	}
}

// leftOver returns the table of keys not read yet, building it on first use
// in the order QEMU fills it (QDict order).
func (a *args) leftOver() *strSet {
	if a.left == nil {
		a.left = newStrSet()
		a.dict.Each(func(k string, _ qjson.Value) bool { a.left.insert(k); return true })
	}
	return a.left
}

func (a *args) typeError(name, want string) {
	a.err = genericError("Invalid parameter type for '" + a.full(name) + "', expected: " + want)
}

// Int reads an integer member (QAPI 'int': it must fit int64).
func (a *args) Int(name string, optional bool) (int64, bool) {
	v, ok := a.get(name, optional)
	if !ok {
		return 0, false
	}
	if v.Kind != qjson.Int { // qnum_get_try_int: a Uint above int64 or a Float does not convert
		a.typeError(name, "integer")
		return 0, false
	}
	return v.Int(), true
}

// Str reads a string member.
func (a *args) Str(name string, optional bool) (string, bool) {
	v, ok := a.get(name, optional)
	if !ok {
		return "", false
	}
	if v.Kind != qjson.String {
		a.typeError(name, "string")
		return "", false
	}
	return v.S, true
}

// Bool reads a boolean member.
func (a *args) Bool(name string, optional bool) (bool, bool) {
	v, ok := a.get(name, optional)
	if !ok {
		return false, false
	}
	if v.Kind != qjson.Bool {
		a.typeError(name, "boolean")
		return false, false
	}
	return v.Bool(), true
}

// StrList reads an array of strings; an element of the wrong type is named
// as 'name[i]'.
func (a *args) StrList(name string, optional bool) ([]string, bool) {
	v, ok := a.get(name, optional)
	if !ok {
		return nil, false
	}
	if v.Kind != qjson.Array {
		a.typeError(name, "array")
		return nil, false
	}
	out := make([]string, 0, len(v.Elems()))
	for i, e := range v.Elems() {
		if e.Kind != qjson.String {
			a.typeError(name+"["+strconv.Itoa(i)+"]", "string")
			return nil, false
		}
		out = append(out, e.S)
	}
	return out, true
}

// Done checks that no key is left over. It returns false with the error set
// when one is, or when an earlier read failed.
func (a *args) Done() bool {
	if a.err != nil {
		return false
	}
	if a.count == a.dict.Len() {
		return true
	}
	name, _ := a.leftOver().first()
	a.err = genericError("Parameter '" + a.full(name) + "' is unexpected")
	return false
}

// Uint64 reads a member of QAPI type 'uint64': any integer that fits uint64,
// and, as QEMU accepts for compatibility, a negative int64 taken as its
// two's complement. Anything else "expects uint64".
func (a *args) Uint64(name string, optional bool) (uint64, bool) {
	v, ok := a.get(name, optional)
	if !ok {
		return 0, false
	}
	switch v.Kind {
	case qjson.Int:
		return uint64(v.Int()), true
	case qjson.Uint:
		return v.Uint(), true
	}
	a.err = genericError("Parameter '" + a.full(name) + "' expects uint64")
	return 0, false
}

// StructList reads an array of objects, each checked as a struct of its own:
// elem reads an element's members (its errors name them 'name[i].member'),
// then any member left over is unexpected. It returns the number of
// elements read, and false when the member is absent or an error was found.
func (a *args) StructList(name string, optional bool, elem func(i int, in *args)) bool {
	v, ok := a.get(name, optional)
	if !ok {
		return false
	}
	if v.Kind != qjson.Array {
		a.typeError(name, "array")
		return false
	}
	for i, e := range v.Elems() {
		el := name + "[" + strconv.Itoa(i) + "]"
		if e.Kind != qjson.Object {
			a.typeError(el, "object")
			return false
		}
		in := args{dict: e.O, prefix: a.full(el) + "."}
		elem(i, &in)
		if !in.Done() {
			a.err = in.err
			return false
		}
	}
	return true
}

// whence is guest-file-seek's GuestFileWhence, an alternate of an integer
// code and a symbolic name.
type whence struct {
	code    int64
	name    string
	numeric bool
}

// Whence reads a GuestFileWhence: a number is read as an integer, a string
// as one of the names of QGASeek, anything else is not a GuestFileWhence.
func (a *args) Whence(name string) (whence, bool) {
	v, ok := a.get(name, false)
	if !ok {
		return whence{}, false
	}
	switch v.Kind {
	case qjson.Int, qjson.Uint, qjson.Float:
		i, ok := v.TryInt64()
		if !ok {
			a.typeError(name, "integer")
			return whence{}, false
		}
		return whence{code: i, numeric: true}, true
	case qjson.String:
		switch v.S {
		case "set", "cur", "end":
			return whence{name: v.S}, true
		}
		a.err = genericError("Parameter '" + a.full(name) + "' does not accept value '" + v.S + "'")
		return whence{}, false
	}
	a.typeError(name, "GuestFileWhence")
	return whence{}, false
}
