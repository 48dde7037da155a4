package scenarios

import (
	"bytes"
	"encoding/json"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/qgasim/qgasim/sim/client"
)

// The checked-in schema and the docs' tables are what the generators make
// from the format's tables and the fault declarations; -update rewrites
// them.
func TestGeneratedFiles(t *testing.T) {
	check := func(path string, want []byte) {
		t.Helper()
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Equal(got, want) {
			return
		}
		if *update {
			if err := os.WriteFile(path, want, 0o644); err != nil {
				t.Fatal(err)
			}
			return
		}
		t.Errorf("%s is not current: run go test ./scenarios -update", path)
	}
	check("schema.json", generateSchema())
	for _, doc := range []string{"../docs/scenario-format.md", "../docs/faults.md"} {
		src, err := os.ReadFile(doc)
		if err != nil {
			t.Fatal(err)
		}
		filled, err := fillDoc(string(src), docTables())
		if err != nil {
			t.Fatalf("%s: %v", doc, err)
		}
		check(doc, []byte(filled))
	}
	if !json.Valid(generateSchema()) {
		t.Error("the generated schema is not JSON")
	}
}

// The JSON Schema and the loader must agree on every section's keys: an
// unknown key makes the loader list the valid keys, which must be exactly the
// schema's properties.
func TestSchemaMatchesLoader(t *testing.T) {
	var schema map[string]any
	if err := json.Unmarshal(Schema(), &schema); err != nil {
		t.Fatalf("schema.json is not JSON: %v", err)
	}
	props := func(path ...string) []string {
		var node any = schema
		for _, p := range path {
			node = node.(map[string]any)[p]
		}
		var keys []string
		for k := range node.(map[string]any)["properties"].(map[string]any) {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		return keys
	}
	cases := []struct {
		yaml string
		keys []string
	}{
		{"zzz: 1\n", props()},
		{"agent: {zzz: 1}\n", props("properties", "agent")},
		{"client: {zzz: 1}\n", props("properties", "client")},
		{"link: {zzz: 1}\n", props("properties", "link")},
		{"link: {to-host: {zzz: 1}}\n", props("$defs", "direction")},
		{"steps: [{zzz: 1}]\n", props("properties", "steps", "items")},
		{"expect: {zzz: 1}\n", props("properties", "expect")},
		{"expect: {requests: [{request: 1, zzz: 1}]}\n", props("properties", "expect", "properties", "requests", "items")},
		{"faults: [{kind: drop, trigger: {zzz: 1}}]\n", props("properties", "faults", "items", "properties", "trigger")},
	}
	valid := regexp.MustCompile(`unknown key "zzz" \(valid: ([^)]*)\)`)
	for _, c := range cases {
		_, err := Parse("t.yaml", []byte("version: 1\nname: t\n"+c.yaml))
		if err == nil {
			t.Errorf("%q: no error", c.yaml)
			continue
		}
		m := valid.FindStringSubmatch(err.Error())
		if m == nil {
			t.Errorf("%q: no list of valid keys in %q", c.yaml, err)
			continue
		}
		got := strings.Split(m[1], ", ")
		sort.Strings(got)
		if strings.Join(got, ",") != strings.Join(c.keys, ",") {
			t.Errorf("%q: loader keys %v, schema keys %v", c.yaml, got, c.keys)
		}
	}
}

func TestSchemaFaultKinds(t *testing.T) {
	var schema struct {
		Properties struct {
			Faults struct {
				Items struct {
					Properties struct {
						Kind struct {
							Enum []string `json:"enum"`
						} `json:"kind"`
					} `json:"properties"`
				} `json:"items"`
			} `json:"faults"`
		} `json:"properties"`
	}
	if err := json.Unmarshal(Schema(), &schema); err != nil {
		t.Fatal(err)
	}
	got := schema.Properties.Faults.Items.Properties.Kind.Enum
	sort.Strings(got)
	if strings.Join(got, ",") != strings.Join(FaultKinds(), ",") {
		t.Errorf("schema fault kinds %v, fault table %v", got, FaultKinds())
	}
}

func TestSchemaEnums(t *testing.T) {
	var schema struct {
		Properties struct {
			Transport struct {
				Enum []string `json:"enum"`
			} `json:"transport"`
			Client struct {
				Properties struct {
					Strategy struct {
						Enum []string `json:"enum"`
					} `json:"strategy"`
				} `json:"properties"`
			} `json:"client"`
		} `json:"properties"`
	}
	if err := json.Unmarshal(Schema(), &schema); err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Join(schema.Properties.Client.Properties.Strategy.Enum, ","), strings.Join(client.Names(), ","); got != want {
		t.Errorf("schema strategies %s, client table %s", got, want)
	}
	if got, want := strings.Join(schema.Properties.Transport.Enum, ","), strings.Join(Transports, ","); got != want {
		t.Errorf("schema transports %s, loader %s", got, want)
	}
}
