package scenarios

import (
	"fmt"
	"strings"
	"testing"
)

// stepsFile is a scenario of n double-quoted raw steps, 16 bytes each. At
// n = 200,000 (3.2 MB) it took minutes to load when every double-quoted
// string re-read the whole file; that many steps are now over MaxTokens,
// so the benchmark stops at 80,000 (1.28 MB), four tokens a step.
func stepsFile(n int) []byte {
	var b strings.Builder
	b.WriteString("version: 1\nname: big\nsteps:\n")
	for i := 0; i < n; i++ {
		b.WriteString("  - raw: \"\\xff\"\n")
	}
	return []byte(b.String())
}

// BenchmarkLoad loads files of 1x, 2x, 4x and 8x 10,000 steps: the time
// per byte (see MB/s) must not grow with the size.
//
//	go test ./scenarios -run XXX -bench Load -benchtime 3x
func BenchmarkLoad(b *testing.B) {
	for _, x := range []int{1, 2, 4, 8} {
		data := stepsFile(10000 * x)
		b.Run(fmt.Sprintf("%dx", x), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for i := 0; i < b.N; i++ {
				sc, err := Parse("big.yaml", data)
				if err != nil || len(sc.Steps) != 10000*x {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkWrite writes the largest of those files.
func BenchmarkWrite(b *testing.B) {
	data := stepsFile(80000)
	sc, err := Parse("big.yaml", data)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	for i := 0; i < b.N; i++ {
		Write(sc)
	}
}
