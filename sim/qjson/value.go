package qjson

import "math"

// Kind is the type of a Value, as QEMU's QObject types.
type Kind uint8

// The kinds of value. Numbers keep qemu's three representations because they
// print differently and the QAPI input visitor treats them differently.
const (
	Null Kind = iota
	Bool
	Int    // fits int64
	Uint   // did not fit int64, fits uint64
	Float  // a double (a float token, or an integer too large for uint64)
	String // bytes in modified UTF-8, as the parser decoded them
	Array
	Object
)

var kindNames = [...]string{"null", "bool", "int", "uint", "float", "string", "array", "object"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "kind?"
}

// Value is a decoded JSON value. Only the field that matches Kind is set;
// the three kinds of number and a boolean share one word (read them with
// Int, Uint, Float and Bool) and an array is kept behind a pointer (read it
// with Elems), which keeps a Value at 48 bytes: the parser and the agent
// copy many, and the copies were their main cost.
type Value struct {
	Kind Kind
	n    uint64 // Int as int64 bits, Uint, Float as float64 bits, Bool as 0 or 1
	S    string
	a    *[]Value
	O    *Dict
}

// Bool returns a Bool's value.
func (v Value) Bool() bool { return v.n != 0 }

// Elems returns an Array's elements.
func (v Value) Elems() []Value {
	if v.a == nil {
		return nil
	}
	return *v.a
}

// Int returns an Int's value.
func (v Value) Int() int64 { return int64(v.n) }

// Uint returns a Uint's value.
func (v Value) Uint() uint64 { return v.n }

// Float returns a Float's value.
func (v Value) Float() float64 { return math.Float64frombits(v.n) }

// Constructors, for building replies.

// NullValue returns JSON null.
func NullValue() Value { return Value{Kind: Null} }

// BoolValue returns a JSON boolean.
func BoolValue(b bool) Value {
	if b {
		return Value{Kind: Bool, n: 1}
	}
	return Value{Kind: Bool}
}

// IntValue returns an int64 number.
func IntValue(i int64) Value { return Value{Kind: Int, n: uint64(i)} }

// UintValue returns a number above int64 as QEMU keeps it, a uint64.
func UintValue(u uint64) Value { return Value{Kind: Uint, n: u} }

// FloatValue returns a double.
func FloatValue(f float64) Value { return Value{Kind: Float, n: math.Float64bits(f)} }

// StringValue returns a string.
func StringValue(s string) Value { return Value{Kind: String, S: s} }

// ArrayValue returns an array.
func ArrayValue(a ...Value) Value { return Value{Kind: Array, a: &a} }

// ObjectValue returns an object.
func ObjectValue(d *Dict) Value { return Value{Kind: Object, O: d} }

// TryInt64 reports the value as an int64 the way QEMU's qnum_get_try_int
// does: only an Int converts; a Uint above int64 or any Float does not.
func (v Value) TryInt64() (int64, bool) {
	if v.Kind == Int {
		return v.Int(), true
	}
	return 0, false
}

// Clone returns a deep copy of v that does not share the parser's objects.
func (v Value) Clone() Value {
	switch v.Kind {
	case Array:
		a := make([]Value, len(v.Elems()))
		for i, e := range v.Elems() {
			a[i] = e.Clone()
		}
		v.a = &a
	case Object:
		if v.O != nil {
			d := NewDict()
			v.O.order()
			for i := len(v.O.entries) - 1; i >= 0; i-- {
				e := v.O.entries[i]
				d.Put(e.key, e.val.Clone())
			}
			v.O = d
		}
	}
	return v
}
