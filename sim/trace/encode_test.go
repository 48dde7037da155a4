package trace

import (
	"bytes"
	"encoding/json"
	"math"
	"reflect"
	"testing"
)

// edge holds strings that encoding/json escapes in every way it has.
var edge = []string{"", "plain", `quote " and \ backslash`, "<b>&amp;</b>", "\b\f\n\r\t\x00\x01\x1f\x7f",
	"é ü 中文 🙂", "bad \xff\xfe utf8 \xc3", "line\u2028para\u2029", "\x00", "a\\xff"}

// AppendJSON writes the bytes json.Marshal writes, for events that use
// every field, with strings and bytes that need every escape.
func TestAppendJSONIsMarshal(t *testing.T) {
	var evs []Event
	for i, s := range edge {
		b := []byte(s)
		evs = append(evs, Event{T: int64(i), Seq: -int64(i), Kind: s, Dir: s, Off: math.MaxInt64, N: math.MinInt64,
			Bytes: b, Src: []Span{{-1, 3}, {5, 0}}, Lost: []Span{{1, 2}}, Changed: nil, Added: 7,
			Fault: s, Name: s, Conn: -1, Inc: 2, ASeq: 3, Req: 4, Step: 5, Until: 6, Cmd: s, Class: s, State: s, Outcome: s, Text: s,
			Origin: &Origin{Status: s, What: s}, Reply: &ReplyRef{Status: s, Cmd: s, Inc: 1, ASeq: 2, OriginReq: 3, OriginConn: 4},
			Session: &Session{Mode: s, Scenario: s, File: s, Transport: s, Seed: uint64(i), Speed: float64(i) / 3}})
	}
	evs = append(evs, Event{}, Event{Kind: KindEnd, Bytes: []byte{}, Src: []Span{}, Origin: &Origin{}, Reply: &ReplyRef{}})
	all := make([]byte, 256)
	for i := range all {
		all[i] = byte(i)
	}
	evs = append(evs, Event{Kind: KindDeliver, Bytes: all})
	for _, ev := range evs {
		same(t, ev)
	}
}

// Every field of Event, set (by reflection, so that a field added later
// is covered too), encodes as Marshal encodes it.
func TestAppendJSONEveryField(t *testing.T) {
	var ev Event
	fill(reflect.ValueOf(&ev).Elem())
	same(t, ev)
	if bytes.Count(AppendJSON(nil, &ev), []byte(`":`)) < reflect.TypeOf(ev).NumField() {
		t.Fatalf("some field is missing: %s", AppendJSON(nil, &ev))
	}
}

// fill sets every field of v to a value that is not its zero.
func fill(v reflect.Value) {
	switch v.Kind() {
	case reflect.String:
		v.SetString("x<&")
	case reflect.Int, reflect.Int64:
		v.SetInt(7)
	case reflect.Uint64:
		v.SetUint(9)
	case reflect.Float64:
		v.SetFloat(1.5e-7)
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Struct:
		for i := range v.NumField() {
			fill(v.Field(i))
		}
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fill(v.Elem())
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 2, 2))
		for i := range 2 {
			fill(v.Index(i))
		}
	case reflect.Uint8:
		v.SetUint(0x80)
	default:
		panic("fill: " + v.Kind().String())
	}
}

func same(t *testing.T, ev Event) {
	t.Helper()
	want, err := json.Marshal(ev)
	if err != nil {
		t.Fatal(err)
	}
	if got := AppendJSON(nil, &ev); !bytes.Equal(got, want) {
		t.Fatalf("AppendJSON differs from json.Marshal:\n got %s\nwant %s", got, want)
	}
}

// FuzzAppendJSON holds AppendJSON to json.Marshal on any strings and bytes.
func FuzzAppendJSON(f *testing.F) {
	for _, s := range edge {
		f.Add(s, []byte(s), int64(len(s)))
	}
	f.Fuzz(func(t *testing.T, s string, b []byte, n int64) {
		same(t, Event{T: n, Seq: n, Kind: s, Text: s, Bytes: b, Src: []Span{{n, n}}, Origin: &Origin{Status: s, Off: n, What: s},
			Reply: &ReplyRef{Status: s, Cmd: s, ASeq: n}})
	})
}

func BenchmarkAppendJSON(b *testing.B) {
	ev := Event{T: 123456789, Seq: 42, Kind: KindDeliver, Dir: A2H, Off: 1000, N: 26, Bytes: []byte("\xff{\"return\": 1764000000}\n"),
		Src: []Span{{2000, 26}}, Conn: 3}
	var buf []byte
	b.Run("AppendJSON", func(b *testing.B) {
		for b.Loop() {
			buf = AppendJSON(buf[:0], &ev)
		}
	})
	b.Run("Marshal", func(b *testing.B) {
		for b.Loop() {
			buf, _ = json.Marshal(ev)
		}
	})
}
