package agent

import (
	"math"

	"github.com/qgasim/qgasim/sim/qjson"
)

// Helpers for building results as QEMU's output visitor does: members are
// put in the schema's order and the Dict puts them in QDict order.

// u64 is a QAPI uint64: an Int when it fits, as QEMU prints both the same.
func u64(v uint64) qjson.Value {
	if v <= math.MaxInt64 {
		return qjson.IntValue(int64(v))
	}
	return qjson.UintValue(v)
}

func i64(v int64) qjson.Value { return qjson.IntValue(v) }

func str(s string) qjson.Value { return qjson.StringValue(s) }

func boolean(b bool) qjson.Value { return qjson.BoolValue(b) }

func object(d *qjson.Dict) qjson.Value { return qjson.ObjectValue(d) }

// strList is a list of strings.
func strList(l []string) qjson.Value {
	a := make([]qjson.Value, len(l))
	for i, s := range l {
		a[i] = str(s)
	}
	return qjson.ArrayValue(a...)
}
