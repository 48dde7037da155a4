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
	dict  *qjson.Dict
	left  *strSet // keys not read yet; built lazily, most requests need none
	err   *cmdError
	count int // keys read
}

func (a *args) get(name string, optional bool) (qjson.Value, bool) {
	if a.err != nil {
		return qjson.Value{}, false
	}
	v, ok := a.dict.Get(name)
	if !ok {
		if !optional {
			a.err = genericError("Parameter '" + name + "' is missing")
		}
		return qjson.Value{}, false
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
	a.err = genericError("Invalid parameter type for '" + name + "', expected: " + want)
}

// Int reads an integer member (QAPI 'int': it must fit int64).
func (a *args) Int(name string, optional bool) (int64, bool) {
	v, ok := a.get(name, optional)
	if !ok {
		return 0, false
	}
	i, ok := v.TryInt64()
	if !ok {
		a.typeError(name, "integer")
		return 0, false
	}
	return i, true
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
	return v.B, true
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
	out := make([]string, 0, len(v.A))
	for i, e := range v.A {
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
	a.err = genericError("Parameter '" + name + "' is unexpected")
	return false
}
