package scenarios

import (
	"fmt"
	"strings"
	"testing"
)

// stepsFile is a scenario of n double-quoted raw steps, 16 bytes each: at
// n = 200,000 the 3.2 MB file that took minutes to load when every
// double-quoted string re-read the whole file.
func stepsFile(n int) []byte {
	var b strings.Builder
	b.WriteString("version: 1\nname: big\nsteps:\n")
	for i := 0; i < n; i++ {
		b.WriteString("  - raw: \"\\xff\"\n")
	}
	return []byte(b.String())
}

// BenchmarkLoad loads files of 1x, 2x, 4x and 8x 25,000 steps: the time
// per byte (see MB/s) must not grow with the size.
//
//	go test ./scenarios -run XXX -bench Load -benchtime 3x
func BenchmarkLoad(b *testing.B) {
	for _, x := range []int{1, 2, 4, 8} {
		data := stepsFile(25000 * x)
		b.Run(fmt.Sprintf("%dx", x), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for i := 0; i < b.N; i++ {
				sc, err := Parse("big.yaml", data)
				if err != nil || len(sc.Steps) != 25000*x {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkWrite writes the largest of those files.
func BenchmarkWrite(b *testing.B) {
	data := stepsFile(200000)
	sc, err := Parse("big.yaml", data)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	for i := 0; i < b.N; i++ {
		Write(sc)
	}
}
