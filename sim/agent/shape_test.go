package agent

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
)

// The shape of a reply is what the schema fixes and the machine does not:
// the members of every object in order, and the kind of every value. Two
// agents on different machines (or the simulated guest and this machine)
// give replies of the same shape.

// sameShapes compares two streams of replies line by line: lines that are
// JSON by shape, any other line (and a leading 0xFF) by bytes.
func sameShapes(sim, real []byte) error {
	a, b := bytes.SplitAfter(sim, []byte("\n")), bytes.SplitAfter(real, []byte("\n"))
	if len(a) != len(b) {
		return fmt.Errorf("%d replies, the real agent %d", len(a)-1, len(b)-1)
	}
	for i := range a {
		x, y := a[i], b[i]
		if bytes.HasPrefix(x, []byte{0xff}) != bytes.HasPrefix(y, []byte{0xff}) {
			return fmt.Errorf("reply %d: 0xFF on one side only", i+1)
		}
		x, y = bytes.TrimPrefix(x, []byte{0xff}), bytes.TrimPrefix(y, []byte{0xff})
		sx, errx := shapeOf(x)
		sy, erry := shapeOf(y)
		if errx != nil || erry != nil {
			if !bytes.Equal(x, y) {
				return fmt.Errorf("reply %d differs", i+1)
			}
			continue
		}
		if err := sx.matches(sy, "reply"); err != nil {
			return fmt.Errorf("reply %d: %v", i+1, err)
		}
	}
	return nil
}

// shape is a JSON value's kind and, for containers, its parts.
type shape struct {
	kind  string   // "object", "array", "string", "number", "bool", "null"
	keys  []string // an object's members, in order
	vals  []shape
	elems []shape // an array's elements
	str   string  // an error's text must match exactly, so strings keep it
}

func shapeOf(line []byte) (shape, error) {
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.UseNumber()
	s, err := readShape(dec)
	if err != nil {
		return shape{}, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return shape{}, fmt.Errorf("more than one value")
	}
	return s, nil
}

func readShape(dec *json.Decoder) (shape, error) {
	tok, err := dec.Token()
	if err != nil {
		return shape{}, err
	}
	switch t := tok.(type) {
	case json.Delim:
		if t == '{' {
			s := shape{kind: "object"}
			for dec.More() {
				k, err := dec.Token()
				if err != nil {
					return shape{}, err
				}
				v, err := readShape(dec)
				if err != nil {
					return shape{}, err
				}
				s.keys = append(s.keys, k.(string))
				s.vals = append(s.vals, v)
			}
			_, err := dec.Token()
			return s, err
		}
		s := shape{kind: "array"}
		for dec.More() {
			v, err := readShape(dec)
			if err != nil {
				return shape{}, err
			}
			s.elems = append(s.elems, v)
		}
		_, err := dec.Token()
		return s, err
	case json.Number:
		if strings.ContainsAny(string(t), ".eE") {
			return shape{kind: "float"}, nil
		}
		return shape{kind: "integer"}, nil
	case string:
		return shape{kind: "string", str: t}, nil
	case bool:
		return shape{kind: "bool"}, nil
	default:
		return shape{kind: "null"}, nil
	}
}

// matches checks that s (the simulated agent's) has the shape of r (the
// real one's). Objects need the same members in the same order; the
// "error" member's strings must be equal. Arrays hold different things on
// the two machines (a disk with partitions, an interface without
// addresses), so an element of s is checked against the elements of r that
// have the same set of members, in any order; one that no element of r
// shares its members with is not checked (this machine has nothing to
// compare it with).
func (s shape) matches(r shape, where string) error {
	if s.kind != r.kind {
		return fmt.Errorf("%s: %s, the real agent has %s", where, s.kind, r.kind)
	}
	switch s.kind {
	case "object":
		if strings.Join(s.keys, ",") != strings.Join(r.keys, ",") {
			return fmt.Errorf("%s: members %v, the real agent has %v", where, s.keys, r.keys)
		}
		for i, k := range s.keys {
			if k == "error" {
				if err := s.vals[i].sameText(r.vals[i]); err != nil {
					return fmt.Errorf("%s.error: %v", where, err)
				}
			}
			if err := s.vals[i].matches(r.vals[i], where+"."+k); err != nil {
				return err
			}
		}
	case "array":
		for i, e := range s.elems {
			var first error
			ok := false
			for _, re := range r.elems {
				if !e.sameMembers(re) {
					continue
				}
				err := e.matches(re, fmt.Sprintf("%s[%d]", where, i))
				if err == nil {
					ok = true
					break
				}
				if first == nil {
					first = err
				}
			}
			if !ok && first != nil {
				return first
			}
		}
	}
	return nil
}

// sameText wants an error object's class and text to be equal.
func (s shape) sameText(r shape) error {
	for i := range s.vals {
		if i < len(r.vals) && s.vals[i].str != r.vals[i].str {
			return fmt.Errorf("%q, the real agent says %q", s.vals[i].str, r.vals[i].str)
		}
	}
	return nil
}

// sameMembers: two objects with the same members in any order, or two
// values of the same kind that are not objects.
func (s shape) sameMembers(r shape) bool {
	if s.kind != r.kind {
		return false
	}
	if s.kind != "object" || len(s.keys) != len(r.keys) {
		return s.kind != "object"
	}
	a, b := slices.Clone(s.keys), slices.Clone(r.keys)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}
