package client

import (
	"encoding/json"
	"strings"
	"testing"
)

var validJSONSeeds = []string{
	`{"return": {}}`, `{"return": 1764000000000}`, "{\"error\": {\"class\": \"GenericError\", \"desc\": \"x\"}}\n",
	`[]`, `[1, 2.5e-3, -0, "a\u00e9\n", true, false, null, {"a": [{}]}]`, `"\uD800"`, `"\x"`, `01`, `-`, `1.`, `1e`,
	`{"a" 1}`, `{"a": 1,}`, `[1,]`, `{,}`, ` {} `, "\t[\r\n]", `{"a":1}{}`, `nul`, `truex`, "\"\x01\"", "\"\xff\"",
	`{"a":"b"`, `{"a":`, `{1: 2}`, `[1 2]`, ``, ` `, `"`, `"\u12"`, `"\u12G4"`,
	strings.Repeat("[", 10000) + strings.Repeat("]", 10000),
	strings.Repeat("[", 10001) + strings.Repeat("]", 10001),
	strings.Repeat(`{"a":`, 10001) + "1" + strings.Repeat("}", 10001),
}

func TestValidJSONAsEncodingJSON(t *testing.T) {
	for _, s := range validJSONSeeds {
		if got, want := validJSON([]byte(s)), json.Valid([]byte(s)); got != want {
			t.Errorf("%.60q: %v, json.Valid says %v", s, got, want)
		}
	}
}

func FuzzValidJSON(f *testing.F) {
	for _, s := range validJSONSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if got, want := validJSON(b), json.Valid(b); got != want {
			t.Fatalf("%q: %v, json.Valid says %v", b, got, want)
		}
	})
}
