package scenarios

import (
	"fmt"
	"math"

	"github.com/goccy/go-yaml/ast"
)

// Directions a fault may act on, as scenarios write them.
var Directions = []string{"to-agent", "to-host"}

// fault reads one entry of "faults": kind, direction, trigger, and the
// kind's parameters, kept as written; Build checks them against the fault
// table, which knows each kind's parameters.
func (d *decoder) fault(n ast.Node, what string) FaultSpec {
	f := FaultSpec{Params: map[string]Param{}}
	f.Line, f.Col = position(n)
	hasKind := false
	for _, mv := range d.entries(n, what) {
		k := keyName(mv)
		switch k {
		case "kind":
			hasKind = true
			f.Kind, _ = d.enum(mv.Value, what+".kind", FaultKinds())
		case "name":
			f.Name, _ = d.str(mv.Value, what+".name")
		case "direction":
			f.Direction, _ = d.enum(mv.Value, what+".direction", Directions)
		case "trigger":
			d.trigger(mv.Value, what+".trigger", &f.Trigger)
		default:
			if _, dup := f.Params[k]; dup {
				d.errf(mv.Key, "%s: key %q is given twice", what, k)
				continue
			}
			f.Params[k] = d.param(mv.Value, what+"."+k)
			f.Params[k] = withPos(f.Params[k], mv.Key)
		}
	}
	if !hasKind {
		d.errf(n, "%s has no kind (valid: %s)", what, oneOf(FaultKinds()))
	}
	return f
}

func withPos(p Param, n ast.Node) Param {
	p.Line, p.Col = position(n)
	return p
}

// param reads a parameter as written: a number, a boolean, or a string
// (with the byte escapes of a byte string). The fault table reads the
// string as it needs it: a duration ("2s"), bytes ('\xff'), a word.
func (d *decoder) param(n ast.Node, what string) Param {
	n = d.unwrap(n)
	switch v := n.(type) {
	case *ast.IntegerNode, *ast.FloatNode:
		x, _ := d.number(v, what, -math.MaxFloat64, math.MaxFloat64)
		return Param{Number: x, IsNumber: true}
	case *ast.InfinityNode, *ast.NanNode:
		d.errf(n, "%s must be a finite number", what)
		return Param{}
	case *ast.StringNode, *ast.LiteralNode:
		b, _ := d.byteString(v, what)
		return Param{Bytes: b, Text: string(b)}
	case *ast.BoolNode:
		if v.Value {
			return Param{Number: 1, IsNumber: true, Text: "true"}
		}
		return Param{Number: 0, IsNumber: true, Text: "false"}
	}
	d.errf(n, "%s must be a number, a duration or a string, not %s", what, kindOf(n))
	return Param{}
}

func (d *decoder) trigger(n ast.Node, what string, t *TriggerSpec) {
	d.fields(n, what, map[string]func(ast.Node){
		"at": func(v ast.Node) { t.At, t.HasAt = d.duration(v, what+".at") },
		"every": func(v ast.Node) {
			if x, ok := d.duration(v, what+".every"); ok {
				if x == 0 {
					d.errf(v, "%s.every must be more than 0", what)
				}
				t.Every = x
			}
		},
		"after-bytes": func(v ast.Node) {
			t.AfterBytes, t.hasAfter = d.integer(v, what+".after-bytes", 0, math.MaxInt64)
		},
		"on":          func(v ast.Node) { t.OnBytes, _ = d.byteString(v, what+".on") },
		"from":        func(v ast.Node) { t.From, _ = d.duration(v, what+".from") },
		"until":       func(v ast.Node) { t.Until, _ = d.duration(v, what+".until") },
		"probability": func(v ast.Node) { t.Probability, _ = d.number(v, what+".probability", 0, 1) },
		"max-count": func(v ast.Node) {
			c, _ := d.integer(v, what+".max-count", 1, math.MaxInt32)
			t.MaxCount = int(c)
		},
	})
}

// Where reports a position as file:line:col for messages about a fault.
func (f FaultSpec) Where(file string) string { return fmt.Sprintf("%s:%d:%d", file, f.Line, f.Col) }
