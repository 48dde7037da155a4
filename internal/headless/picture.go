package headless

import (
	"bytes"
	"image"
	"image/png"
)

// Picture is what a screenshot holds, in numbers a test can check: that it
// is not blank, and that colours that mean something are on it.
type Picture struct {
	Width, Height int
	// Colours is the number of distinct colours.
	Colours int
	// Ink is the share of pixels that differ from the most common colour
	// (the background), from 0 to 1.
	Ink float64
	img image.Image
}

// Decode reads a PNG screenshot.
func Decode(b []byte) (*Picture, error) {
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	r := img.Bounds()
	p := &Picture{Width: r.Dx(), Height: r.Dy(), img: img}
	counts := map[uint32]int{}
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			counts[rgb(img, x, y)]++
		}
	}
	most := 0
	for _, n := range counts {
		most = max(most, n)
	}
	p.Colours = len(counts)
	if total := r.Dx() * r.Dy(); total > 0 {
		p.Ink = float64(total-most) / float64(total)
	}
	return p, nil
}

func rgb(img image.Image, x, y int) uint32 {
	r, g, b, _ := img.At(x, y).RGBA()
	return (r>>8)<<16 | (g>>8)<<8 | b>>8
}

// Near counts the pixels within tol (per channel, 0..255) of colour c
// (0xRRGGBB).
func (p *Picture) Near(c uint32, tol int) int {
	r := p.img.Bounds()
	n := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			v := rgb(p.img, x, y)
			if abs(int(v>>16)-int(c>>16)) <= tol && abs(int(v>>8&0xff)-int(c>>8&0xff)) <= tol && abs(int(v&0xff)-int(c&0xff)) <= tol {
				n++
			}
		}
	}
	return n
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
