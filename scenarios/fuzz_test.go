package scenarios

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzLoad: whatever the bytes, loading gives a scenario or Problems, never
// a panic; every problem has a message, and a loaded scenario builds or
// gives Problems.
func FuzzLoad(f *testing.F) {
	seeds, _ := filepath.Glob("*.yaml")
	more, _ := filepath.Glob("testdata/*/*.yaml")
	for _, p := range append(seeds, more...) {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte("version: 1\nname: x\nsteps: [{raw: '\\x'}]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		sc, err := Parse("f.yaml", data)
		if err != nil {
			ps, ok := err.(Problems)
			if !ok || len(ps) == 0 {
				t.Fatalf("error %T %v is not a list of problems", err, err)
			}
			for _, p := range ps {
				if p.Msg == "" {
					t.Fatalf("a problem without a message: %+v", p)
				}
			}
			return
		}
		if _, err := Build(sc, nil); err != nil {
			if _, ok := err.(Problems); !ok {
				t.Fatalf("Build error %T %v is not a list of problems", err, err)
			}
		}
	})
}
