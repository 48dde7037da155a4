package listing

import (
	"reflect"
	"testing"
)

func numbers[T any](items []Item[T]) []int {
	var out []int
	for _, it := range items {
		out = append(out, it.No)
	}
	return out
}

// A long sequence lists its head, its tail and the kept items (a kept item
// does not take a place in the tail), in order,
// with their numbers; a short one lists everything.
func TestList(t *testing.T) {
	l := New[int](3, 50, 2, 99)
	for i := 1; i <= 100; i++ {
		v := i
		l.Add(&v)
	}
	items := l.Items()
	if got, want := numbers(items), []int{1, 2, 3, 50, 97, 98, 99, 100}; !reflect.DeepEqual(got, want) {
		t.Fatalf("listed %v, want %v", got, want)
	}
	for _, it := range items {
		if *it.V != it.No {
			t.Fatalf("item %d holds %d", it.No, *it.V)
		}
	}
	if l.Len() != 100 {
		t.Fatalf("len %d", l.Len())
	}
	short := New[int](10)
	for i := 1; i <= 7; i++ {
		v := i
		short.Add(&v)
	}
	if got := numbers(short.Items()); !reflect.DeepEqual(got, []int{1, 2, 3, 4, 5, 6, 7}) {
		t.Fatalf("short: %v", got)
	}
}
