package main

import (
	"encoding/json"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/qgasim/qgasim/sim/live"
)

// Every field of the JSON report, of its requests and of the JSON
// written for them is in docs/report-format.md, and the report starts
// with its format version.
func TestJSONReportDocumented(t *testing.T) {
	doc, err := os.ReadFile("../../docs/report-format.md")
	if err != nil {
		t.Fatal(err)
	}
	var fields func(typ reflect.Type)
	fields = func(typ reflect.Type) {
		for i := range typ.NumField() {
			f := typ.Field(i)
			if f.Anonymous && f.Type.Kind() == reflect.Struct {
				fields(f.Type) // its fields are the document's
				continue
			}
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if !strings.Contains(string(doc), "| `"+name+"` |") {
				t.Errorf("%s.%s (json %q) is not in docs/report-format.md", typ.Name(), f.Name, name)
			}
		}
	}
	// run's report; serve's and proxy's; replay's.
	for _, typ := range []reflect.Type{reflect.TypeFor[jsonReport](), reflect.TypeFor[jsonRequest](),
		reflect.TypeFor[liveJSON](), reflect.TypeFor[live.JSONRequest](), reflect.TypeFor[replayDoc](), reflect.TypeFor[replayDiffJSON]()} {
		fields(typ)
	}
	var out strings.Builder
	if code := run([]string{"run", "handshake-guest-sync", "--json"}, &out, os.Stderr); code != exitOK {
		t.Fatalf("exit %d", code)
	}
	if !strings.HasPrefix(out.String(), "{\n  \"format\": 1,\n") {
		t.Errorf("the report does not start with its format: %.60q", out.String())
	}
	var v map[string]any
	if err := json.Unmarshal([]byte(out.String()), &v); err != nil || v["format"] != float64(reportFormat) {
		t.Errorf("format %v (%v)", v["format"], err)
	}
}
