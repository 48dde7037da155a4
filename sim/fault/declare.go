package fault

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/qgasim/qgasim/sim/link"
)

// Kind declares a fault kind as data: its name, the direction it watches
// by default, whether it runs with no trigger, its parameters, and how to
// build it. Each kind's file holds its declaration; Table lists them all.
// The scenario loader checks a fault against this declaration, and the
// scenario schema and docs/faults.md are generated from it.
type Kind struct {
	Name string
	Dir  link.Dir // the direction it watches when the Spec gives none
	// Continuous kinds run all the time with no trigger, on their own
	// probability parameter; the others need a trigger.
	Continuous bool
	// EventsPerFiring is the least number of trace events one firing makes
	// (a kill is a fault event, the agent's death and its start): what a
	// firing costs of the run's event budget. 0 counts as 1.
	EventsPerFiring int
	Doc             string // what it does, one paragraph in Markdown
	Params          []Param
	build           func(b *base, v values) Fault
}

// Param declares one parameter of a fault kind.
type Param struct {
	Name string
	Type Type
	Unit string // what a number counts ("bytes", "bits"), for the docs
	// Min and Max bound a Number or an Integer, both included; for Bytes,
	// Min is the least length.
	Min, Max float64
	Default  Value
	Doc      string // one line
}

// Type is the type of a parameter's value.
type Type int

// The types of parameters.
const (
	Number   Type = iota + 1 // a finite real number in [Min, Max] (a probability: 0..1)
	Integer                  // a whole number in [Min, Max]
	Duration                 // virtual time, not negative
	Bytes                    // bytes, at least Min of them
)

func (t Type) String() string {
	switch t {
	case Number:
		return "number"
	case Integer:
		return "integer"
	case Duration:
		return "duration"
	case Bytes:
		return "bytes"
	}
	return fmt.Sprintf("Type(%d)", int(t))
}

// Value is one parameter value. Type says which field holds it; Num, Int,
// Dur and Bytes build one.
type Value struct {
	Type  Type
	Num   float64
	Int   int64
	Dur   time.Duration
	Bytes []byte
}

// Num is a Number value.
func Num(x float64) Value { return Value{Type: Number, Num: x} }

// Int is an Integer value.
func Int(n int64) Value { return Value{Type: Integer, Int: n} }

// Dur is a Duration value.
func Dur(d time.Duration) Value { return Value{Type: Duration, Dur: d} }

// Raw is a Bytes value.
func Raw(b []byte) Value { return Value{Type: Bytes, Bytes: b} }

// String writes the value as a scenario file does.
func (v Value) String() string {
	switch v.Type {
	case Number:
		return formatNum(v.Num)
	case Integer:
		return fmt.Sprint(v.Int)
	case Duration:
		return v.Dur.String()
	case Bytes:
		return fmt.Sprintf("%q", v.Bytes)
	}
	return "(no value)"
}

// formatNum writes a number as a scenario file would: whole numbers in
// full (1073741824, not 1.073741824e+09).
func formatNum(x float64) string {
	if x == math.Trunc(x) && math.Abs(x) < 1e15 {
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return strconv.FormatFloat(x, 'g', -1, 64)
}

// Params are a fault's parameters by name; a parameter left out takes its
// declared default.
type Params map[string]Value

// Table is every fault kind by name: an explicit map, no init()
// registration.
var Table = map[string]*Kind{
	"drop":           dropKind,
	"burst":          burstKind,
	"corrupt":        corruptKind,
	"duplicate":      duplicateKind,
	"truncate":       truncateKind,
	"stall":          stallKind,
	"delay":          delayKind,
	"rechunk":        rechunkKind,
	"inject":         injectKind,
	"restart-agent":  restartKind,
	"reboot":         rebootKind,
	"reconnect-host": reconnectKind,
	"freeze":         freezeKind,
	"thaw":           thawKind,
	"pause-agent":    pauseKind,
	"continue-agent": continueKind,
	"stop-agent":     stopKind,
}

// Lookup returns the declaration of a kind.
func Lookup(kind string) (*Kind, bool) {
	k, ok := Table[kind]
	return k, ok
}

// Param returns the declaration of one of the kind's parameters.
func (k *Kind) Param(name string) (*Param, bool) {
	for i := range k.Params {
		if k.Params[i].Name == name {
			return &k.Params[i], true
		}
	}
	return nil, false
}

// ParamNames lists the kind's parameters in declaration order.
func (k *Kind) ParamNames() []string {
	names := make([]string, len(k.Params))
	for i, p := range k.Params {
		names[i] = p.Name
	}
	return names
}

// Check reports what is wrong with a value for this parameter (its type,
// its range), or nil. The message names no parameter: the caller says
// where.
func (p *Param) Check(v Value) error {
	if v.Type != p.Type {
		return fmt.Errorf("must be %s, not %s", article(p.Type), article(v.Type))
	}
	switch p.Type {
	case Number:
		if math.IsNaN(v.Num) || math.IsInf(v.Num, 0) {
			return fmt.Errorf("must be finite, not %v", v.Num)
		}
		if v.Num < p.Min || v.Num > p.Max {
			return fmt.Errorf("%s is out of range %s..%s", formatNum(v.Num), formatNum(p.Min), formatNum(p.Max))
		}
	case Integer:
		if float64(v.Int) < p.Min || float64(v.Int) > p.Max {
			return fmt.Errorf("%d is out of range %s..%s", v.Int, formatNum(p.Min), formatNum(p.Max))
		}
	case Duration:
		if v.Dur < 0 {
			return fmt.Errorf("must not be negative, not %v", v.Dur)
		}
	case Bytes:
		if float64(len(v.Bytes)) < p.Min {
			return fmt.Errorf("needs at least %s byte(s)", formatNum(p.Min))
		}
	}
	return nil
}

func article(t Type) string {
	switch t {
	case Integer:
		return "an integer"
	case 0:
		return "no value"
	}
	return "a " + t.String()
}

// Problem is one thing wrong with a Spec: the field it is about, spelled as
// in a scenario file ("kind", "direction", a parameter's name,
// "trigger.until"; "" for the fault as a whole), and what is wrong.
type Problem struct {
	Field string
	Msg   string
}

func (p Problem) String() string {
	if p.Field == "" {
		return p.Msg
	}
	return p.Field + ": " + p.Msg
}

// Check reports every problem of a Spec against its kind's declaration,
// without building the fault.
func Check(spec Spec) []Problem {
	var probs []Problem
	add := func(field, format string, args ...any) {
		probs = append(probs, Problem{Field: field, Msg: fmt.Sprintf(format, args...)})
	}
	k, ok := Lookup(spec.Kind)
	if !ok {
		add("kind", "unknown kind %q (valid: %s)", spec.Kind, strings.Join(Kinds(), ", "))
	}
	if spec.Dir != "" {
		if _, err := link.ParseDir(spec.Dir); err != nil {
			add("direction", "unknown direction %q (valid: h2a, a2h)", spec.Dir)
		}
	}
	probs = append(probs, spec.Trigger.check()...)
	if !ok {
		return probs
	}
	for _, name := range sortedNames(spec.Params) {
		p, known := k.Param(name)
		if !known {
			add(name, "not a parameter of %s (valid: %s)", k.Name, orNone(k.ParamNames()))
			continue
		}
		if err := p.Check(spec.Params[name]); err != nil {
			add(name, "%v", err)
		}
	}
	if !k.Continuous && !spec.Trigger.hasCondition() {
		add("", "%s needs a trigger (at, every, after-bytes, on or probability)", k.Name)
	}
	return probs
}

func orNone(names []string) string {
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
}

// check reports the trigger's problems, by the scenario's key names.
func (t Trigger) check() []Problem {
	var probs []Problem
	add := func(field, format string, args ...any) {
		probs = append(probs, Problem{Field: "trigger." + field, Msg: fmt.Sprintf(format, args...)})
	}
	if math.IsNaN(t.Probability) || math.IsInf(t.Probability, 0) {
		add("probability", "must be finite, not %v", t.Probability)
	} else if t.Probability < 0 || t.Probability > 1 {
		add("probability", "%s is out of range 0..1", formatNum(t.Probability))
	}
	neg := func(field string, d time.Duration) {
		if d < 0 {
			add(field, "must not be negative, not %v", d)
		}
	}
	if t.At != nil {
		neg("at", *t.At)
	}
	neg("every", t.Every)
	neg("from", t.From)
	neg("until", t.Until)
	if t.AfterBytes != nil && *t.AfterBytes < 0 {
		add("after-bytes", "must not be negative, not %d", *t.AfterBytes)
	}
	if t.Max < 0 {
		add("max-count", "must not be negative, not %d", t.Max)
	}
	if t.Until != 0 && t.Until <= t.From {
		add("until", "must be after from (%v), not %v", t.From, t.Until)
	}
	return probs
}

// hasCondition reports a trigger with a condition: a time, a byte, or a
// probability (a window alone is not one).
func (t Trigger) hasCondition() bool {
	return t.At != nil || t.Every > 0 || t.AfterBytes != nil || len(t.On) > 0 || t.Probability > 0
}

// values reads a checked Spec's parameters, with the declared defaults.
type values struct {
	k *Kind
	m Params
}

func (v values) get(name string) Value {
	if x, ok := v.m[name]; ok {
		return x
	}
	p, ok := v.k.Param(name)
	if !ok {
		panic("fault: " + v.k.Name + " reads an undeclared parameter " + name)
	}
	return p.Default
}

func (v values) num(name string) float64       { return v.get(name).Num }
func (v values) int(name string) int           { return int(v.get(name).Int) }
func (v values) dur(name string) time.Duration { return v.get(name).Dur }
func (v values) bytes(name string) []byte      { return v.get(name).Bytes }
