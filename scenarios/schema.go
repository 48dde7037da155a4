package scenarios

import (
	"bytes"
	_ "embed"
	"encoding/json"
)

// schemaJSON is the JSON Schema of the format, for editors ("qgasim
// schema"). It is generated from the same tables the loader reads with
// (see generateSchema); TestGeneratedFiles checks that the file is current
// and rewrites it with -update.
//
//go:embed schema.json
var schemaJSON []byte

// Schema returns the JSON Schema of scenario files, version 1.
func Schema() []byte { return append([]byte(nil), schemaJSON...) }

// jsonObj is a JSON object that keeps its keys in the order they are set,
// so that the schema reads in the order of the format.
type jsonObj []jsonKV

type jsonKV struct {
	k string
	v any
}

// set sets key k (replacing it if present) and returns the object.
func (o jsonObj) set(k string, v any) jsonObj {
	for i := range o {
		if o[i].k == k {
			o[i].v = v
			return o
		}
	}
	return append(o, jsonKV{k, v})
}

// MarshalJSON writes the keys in order.
func (o jsonObj) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, kv := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(kv.k)
		b.Write(k)
		b.WriteByte(':')
		v, err := json.Marshal(kv.v)
		if err != nil {
			return nil, err
		}
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

func ref(name string) jsonObj { return jsonObj{}.set("$ref", "#/$defs/"+name) }

// generateSchema builds the JSON Schema from the format's tables and the
// fault kinds' declarations.
func generateSchema() []byte {
	defs := jsonObj{}.
		set("duration", jsonObj{}.set("type", "string").
			set("pattern", `^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$`).
			set("description", "A duration with a unit: 250ms, 5s, 1m30s.")).
		set("timeout", jsonObj{}.set("anyOf", []any{ref("duration"), jsonObj{}.set("const", "forever"), jsonObj{}.set("const", "async")}).
			set("description", "A duration; forever (block); async (do not wait, as libvirt's --async).")).
		set("bytes", jsonObj{}.set("anyOf", []any{
			jsonObj{}.set("type", "string").set("description", byteGrammarDoc),
			jsonObj{}.set("type", "array").set("items", jsonObj{}.set("type", "integer").set("minimum", 0).set("maximum", 255)),
		})).
		set("direction", dirSection.schema())
	top := topSection.schema()
	top = top.set("required", []string{"version", "name"})
	s := jsonObj{}.
		set("$schema", "https://json-schema.org/draft/2020-12/schema").
		set("$id", "https://qgasim.invalid/scenario-v1.schema.json").
		set("title", "qgasim scenario, version 1").
		set("description", "A qgasim scenario: a guest agent, a host client, a link with faults, the host program's steps, and what must hold. See docs/scenario-format.md.")
	for _, kv := range top {
		s = s.set(kv.k, kv.v)
	}
	s = s.set("$defs", defs)
	out, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		panic(err) // the tables are Go values: a failure is a bug here
	}
	return append(out, '\n')
}

// byteGrammarDoc says how byte strings are read, for the schema.
const byteGrammarDoc = `Bytes with escapes, read once whatever the quoting: \xNN (one byte), \uXXXX (UTF-8), \n, \r, \t, \0, \\, \", \'. In double quotes the escapes are read from the file as written ("\xff" is the byte 0xFF, not U+00FF), and the string stays on one line.`
