package agent

import (
	"strings"
	"testing"
)

// FuzzKeyFile: any text gives a key file or an error with a line number,
// and a configuration that loads dumps as a key file that loads again to
// the same configuration.
func FuzzKeyFile(f *testing.F) {
	for _, c := range dumpCases {
		f.Add(c.config)
	}
	f.Add("[general]\npath=\\s a\\tb\\n\\\\\n")
	f.Fuzz(func(t *testing.T, conf string) {
		var o Options
		if _, err := o.LoadConfig("f.conf", []byte(conf)); err != nil {
			if !strings.HasPrefix(err.Error(), "f.conf") {
				t.Fatalf("error without the file name: %v", err)
			}
			return
		}
		o.Method, o.Path = "unix-listen", "/s"
		if err := o.Finish(); err != nil {
			t.Fatal(err)
		}
		dump := o.Dump()
		var again Options
		if _, err := again.LoadConfig("dump", dump); err != nil {
			t.Fatalf("the dump does not load: %v\n%q", err, dump)
		}
		// Reading a list back reverses it, as qemu-ga does.
		again.BlockRPCs = reversed(again.BlockRPCs)
		if err := again.Finish(); err != nil {
			t.Fatal(err)
		}
		if got := again.Dump(); string(got) != string(dump) {
			t.Fatalf("dump %q read back dumps as %q", dump, got)
		}
	})
}

func reversed(l []string) []string {
	out := make([]string, len(l))
	for i, s := range l {
		out[len(l)-1-i] = s
	}
	return out
}

// FuzzOSRelease: any file either gives fields or is ignored, never a panic;
// a value never grows (qemu-ga's unquoting works in place).
func FuzzOSRelease(f *testing.F) {
	for _, c := range osReleaseCases {
		f.Add(c)
	}
	f.Fuzz(func(t *testing.T, content string) {
		info, ok := ParseOSRelease([]byte(content))
		if !ok {
			return
		}
		for _, v := range []string{info.ID, info.Name, info.PrettyName, info.Version, info.VersionID, info.Variant, info.VariantID} {
			if len(v) > len(content) {
				t.Fatalf("value %q longer than the file", v)
			}
		}
	})
}
