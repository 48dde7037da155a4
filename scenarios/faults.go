package scenarios

import (
	"fmt"
	"math"
	"strings"

	"github.com/goccy/go-yaml/ast"

	"github.com/qgasim/qgasim/sim/fault"
)

// Directions a fault may act on, as scenarios write them, and the link's
// names for them.
var (
	Directions     = []string{"to-agent", "to-host"}
	directionNames = map[string]string{"to-agent": "h2a", "to-host": "a2h"}
	directionWords = map[string]string{"h2a": "to-agent", "a2h": "to-host"}
)

// FaultKinds lists the fault kinds a scenario may name: the fault table's.
func FaultKinds() []string { return fault.Kinds() }

// faultKeys are the keys every fault has, besides its kind's parameters,
// in the order a written file has them (the parameters come before
// trigger).
var faultKeys = []struct{ name, typ, doc string }{
	{"kind", "a fault kind", "what the fault does (below)"},
	{"name", "string", "names the fault in the report and the trace, and seeds its random stream (default kind#n)"},
	{"direction", "`to-agent` or `to-host`", "the direction it watches (each kind has a default)"},
	{"trigger", "mapping", "when it fires (below); none: all the time, for the kinds that can"},
	{"note", "string", "what the fault stands for, for people"},
}

// triggerKeys are the keys of a trigger, in the order a written file has
// them.
var triggerKeys = []struct{ name, typ, doc string }{
	{"at", "duration", "fire at this virtual time (with `every`: the first firing)"},
	{"every", "duration > 0", "fire again every interval (from `at`, or from `every`)"},
	{"after-bytes", "integer ≥ 0", "fire when this byte of the direction passes (counting from 0, over the bytes this fault has seen)"},
	{"on", "bytes", "fire when these bytes pass, at the last byte of the match; a match may span writes: `'\\xff'` the sentinel, `'\"return\"'`, `'\\n'` the end of a reply"},
	{"probability", "number 0..1", "each occasion fires with this chance; alone, every byte is an occasion"},
	{"max-count", "integer ≥ 1", "fire at most this many times"},
	{"from", "duration", "fire only from this virtual time on; a fault with no trigger acts only from then"},
	{"until", "duration", "fire only before this virtual time (after `from`)"},
}

func names(keys []struct{ name, typ, doc string }) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = k.name
	}
	return out
}

func readFaults(d *decoder, n ast.Node, path string, s *Scenario) {
	for i, item := range d.list(n, path) {
		what := fmt.Sprintf("%s[%d]", path, i)
		d.mark(what, item)
		s.Faults = append(s.Faults, d.fault(item, what))
	}
}

// fault reads one fault: its kind first, which says what its parameters
// are; each value is read as its declaration's type, then the whole fault
// is checked against the declaration (fault.Check) without building it,
// and each problem is reported at the node it is about.
func (d *decoder) fault(n ast.Node, what string) fault.Spec {
	f := fault.Spec{Params: fault.Params{}}
	entries := d.entries(n, what)
	var kind *fault.Kind
	hasKind := false
	for _, mv := range entries {
		if keyName(mv) == "kind" && !hasKind {
			hasKind = true
			if k, ok := d.enum(mv.Value, what+".kind", FaultKinds()); ok {
				f.Kind = k
				kind, _ = fault.Lookup(k)
			}
		}
	}
	if !hasKind {
		d.errf(n, "%s has no kind (valid: %s)", what, oneOf(FaultKinds()))
	}
	at := map[string]ast.Node{"": n} // the node each field of fault.Check is at
	trigProbs := 0
	entries, _ = d.unique(entries, what)
	for _, mv := range entries {
		k, v := keyName(mv), mv.Value
		path := what + "." + k
		at[k] = v
		d.mark(path, v)
		switch k {
		case "kind":
		case "name":
			f.Name, _ = d.str(v, path)
		case "note":
			f.Note, _ = d.str(v, path)
		case "direction":
			if dir, ok := d.enum(v, path, Directions); ok {
				f.Dir = directionNames[dir]
			}
		case "trigger":
			before := len(d.probs)
			d.trigger(v, path, &f.Trigger, at)
			trigProbs = len(d.probs) - before
		default:
			if kind == nil {
				if !hasKind {
					d.errf(mv.Key, "%s: unknown key %q (valid: %s, and the parameters of the kind)", what, k, oneOf(names(faultKeys)))
				}
				continue // the kind is wrong: its parameters cannot be judged
			}
			p, ok := kind.Param(k)
			if !ok {
				d.errf(mv.Key, "%s: unknown key %q (valid: %s; %s's parameters: %s)", what, k, oneOf(names(faultKeys)),
					kind.Name, namesOrNone(kind.ParamNames()))
				continue
			}
			if val, ok := d.paramValue(v, path, p); ok {
				f.Params[k] = val
			}
		}
	}
	if kind == nil {
		return f
	}
	for _, p := range fault.Check(f) {
		if p.Field == "" && trigProbs > 0 {
			continue // a trigger with a bad value is not "no trigger"
		}
		node, msg := at[p.Field], what+"."+p.Field+": "+p.Msg
		if p.Field == "" {
			msg = what + ": " + p.Msg
		}
		d.errf(node, "%s", msg)
	}
	return f
}

func namesOrNone(names []string) string {
	if len(names) == 0 {
		return "none"
	}
	return oneOf(names)
}

// paramValue reads a parameter as its declaration's type; its range is
// fault.Check's to judge.
func (d *decoder) paramValue(n ast.Node, path string, p *fault.Param) (fault.Value, bool) {
	switch p.Type {
	case fault.Number:
		x, ok := d.number(n, path)
		return fault.Num(x), ok
	case fault.Integer:
		x, ok := d.integer(n, path, math.MinInt64, math.MaxInt64)
		return fault.Int(x), ok
	case fault.Duration:
		x, ok := d.duration(n, path)
		return fault.Dur(x), ok
	case fault.Bytes:
		x, ok := d.byteString(n, path)
		return fault.Raw(x), ok
	}
	panic("scenarios: a fault parameter of an unknown type: " + p.Type.String())
}

// trigger reads a trigger; at gets the node of each key, as
// "trigger.every", for fault.Check's problems.
func (d *decoder) trigger(n ast.Node, what string, t *fault.Trigger, at map[string]ast.Node) {
	entries, _ := d.unique(d.entries(n, what), what)
	for _, mv := range entries {
		k, v := keyName(mv), mv.Value
		path := what + "." + k
		at["trigger."+k] = v
		d.mark(path, v)
		switch k {
		case "at":
			if x, ok := d.duration(v, path); ok {
				t.At = &x
			}
		case "every":
			x, _ := positiveDur.read(d, v, path)
			t.Every = x
		case "after-bytes":
			if x, ok := d.integer(v, path, math.MinInt64, math.MaxInt64); ok {
				t.AfterBytes = &x
			}
		case "on":
			if b, ok := d.byteString(v, path); ok {
				if len(b) == 0 {
					d.errf(v, "%s needs at least one byte", path)
				}
				t.On = b
			}
		case "probability":
			t.Probability, _ = d.number(v, path)
		case "max-count":
			c, _ := d.integer(v, path, 1, math.MaxInt32)
			t.Max = int(c)
		case "from":
			t.From, _ = d.duration(v, path)
		case "until":
			t.Until, _ = d.duration(v, path)
		default:
			d.errf(mv.Key, "%s: unknown key %q (valid: %s)", what, k, oneOf(names(triggerKeys)))
		}
	}
}

func writeFaults(s *Scenario) (*ynode, bool) { return nodeList(s.Faults, faultNode) }

func faultNode(f fault.Spec) *ynode {
	m := mapNode()
	m.add("kind", strNode(f.Kind))
	if f.Name != "" {
		m.add("name", strNode(f.Name))
	}
	if f.Dir != "" {
		w, ok := directionWords[f.Dir]
		if !ok {
			w = f.Dir // not a direction: the loader will say so
		}
		m.add("direction", strNode(w))
	}
	var order []string
	if k, ok := fault.Lookup(f.Kind); ok {
		order = k.ParamNames()
	}
	for _, name := range sortedKeys(f.Params) {
		if !contains(order, name) {
			order = append(order, name)
		}
	}
	for _, name := range order {
		if v, ok := f.Params[name]; ok {
			m.add(name, valueNode(v))
		}
	}
	if t := triggerNode(f.Trigger); len(t.keys) > 0 {
		m.add("trigger", t)
	}
	if f.Note != "" {
		m.add("note", text(f.Note))
	}
	return m
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// valueNode writes a parameter value as the loader reads it.
func valueNode(v fault.Value) *ynode {
	switch v.Type {
	case fault.Number:
		return scalarNode(numberText(v.Num))
	case fault.Integer:
		return scalarNode(fmt.Sprint(v.Int))
	case fault.Duration:
		return scalarNode(fmtDuration(v.Dur))
	case fault.Bytes:
		return scalarNode(byteScalar(v.Bytes))
	}
	return scalarNode("null") // no value: the loader will say so
}

// numberText writes a number so that it reads back the same (.nan and .inf
// too, for the loader to refuse with its reason).
func numberText(x float64) string {
	switch {
	case math.IsNaN(x):
		return ".nan"
	case math.IsInf(x, 1):
		return ".inf"
	case math.IsInf(x, -1):
		return "-.inf"
	}
	return fmtNum(x)
}

func triggerNode(t fault.Trigger) *ynode {
	m := mapNode()
	m.flow = true
	if t.At != nil {
		m.add("at", scalarNode(fmtDuration(*t.At)))
	}
	if t.Every != 0 {
		m.add("every", scalarNode(fmtDuration(t.Every)))
	}
	if t.AfterBytes != nil {
		m.add("after-bytes", scalarNode(fmt.Sprint(*t.AfterBytes)))
	}
	if t.On != nil {
		m.add("on", scalarNode(byteScalar(t.On)))
	}
	if t.Probability != 0 {
		m.add("probability", scalarNode(numberText(t.Probability)))
	}
	if t.Max != 0 {
		m.add("max-count", scalarNode(fmt.Sprint(t.Max)))
	}
	if t.From != 0 {
		m.add("from", scalarNode(fmtDuration(t.From)))
	}
	if t.Until != 0 {
		m.add("until", scalarNode(fmtDuration(t.Until)))
	}
	return m
}

func faultsSchema() jsonObj {
	props := jsonObj{}.
		set("kind", jsonObj{}.set("enum", FaultKinds()).set("description", "What the fault does; see docs/faults.md.")).
		set("name", jsonObj{}.set("type", "string").set("description", plainDoc(faultKeys[1].doc)+".")).
		set("direction", jsonObj{}.set("enum", Directions).set("description", plainDoc(faultKeys[2].doc)+".")).
		set("trigger", triggerSchema()).
		set("note", jsonObj{}.set("type", "string").set("description", plainDoc(faultKeys[4].doc)+"."))
	var perKind []any
	for _, name := range FaultKinds() {
		k, _ := fault.Lookup(name)
		params := jsonObj{}
		for _, p := range k.Params {
			params = params.set(p.Name, paramSchema(p))
		}
		perKind = append(perKind, jsonObj{}.
			set("if", jsonObj{}.set("properties", jsonObj{}.set("kind", jsonObj{}.set("const", name))).set("required", []string{"kind"})).
			set("then", jsonObj{}.set("properties", params)))
	}
	item := jsonObj{}.set("type", "object").set("required", []string{"kind"}).set("properties", props).
		set("allOf", perKind).set("unevaluatedProperties", false)
	return jsonObj{}.set("type", "array").set("items", item)
}

func paramSchema(p fault.Param) jsonObj {
	var o jsonObj
	switch p.Type {
	case fault.Number:
		o = jsonObj{}.set("type", "number").set("minimum", p.Min).set("maximum", p.Max)
	case fault.Integer:
		o = jsonObj{}.set("type", "integer").set("minimum", int64(p.Min)).set("maximum", int64(p.Max))
	case fault.Duration:
		o = ref("duration")
	case fault.Bytes:
		o = ref("bytes")
	}
	return o.set("description", fmt.Sprintf("%s (default %s).", strings.TrimSuffix(p.Doc, "."), paramDefault(p)))
}

// paramDefault is a parameter's default as a file writes it.
func paramDefault(p fault.Param) string {
	n := valueNode(p.Default)
	return n.scalar
}

func triggerSchema() jsonObj {
	props := jsonObj{}
	for _, k := range triggerKeys {
		var o jsonObj
		switch k.name {
		case "at", "from", "until":
			o = ref("duration")
		case "every":
			o = ref("duration")
		case "after-bytes":
			o = jsonObj{}.set("type", "integer").set("minimum", 0)
		case "on":
			o = ref("bytes")
		case "probability":
			o = jsonObj{}.set("type", "number").set("minimum", 0).set("maximum", 1)
		case "max-count":
			o = jsonObj{}.set("type", "integer").set("minimum", 1)
		}
		props = props.set(k.name, o.set("description", plainDoc(k.doc)+"."))
	}
	return jsonObj{}.set("type", "object").set("additionalProperties", false).set("properties", props).
		set("description", "When the fault fires; none: all the time, for the kinds that can.")
}
