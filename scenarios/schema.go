package scenarios

import _ "embed"

// schemaJSON is the JSON Schema of the format, for editors ("qgasim schema").
//
//go:embed schema.json
var schemaJSON []byte

// Schema returns the JSON Schema of scenario files, version 1.
func Schema() []byte { return append([]byte(nil), schemaJSON...) }
