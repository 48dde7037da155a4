package qjson

import (
	"math"
	"strconv"
	"testing"
)

func TestAppendString(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"abc", `"abc"`},
		{`a"b\c`, `"a\"b\\c"`},
		{"\b\f\n\r\t", `"\b\f\n\r\t"`},
		{"\x01\x1f", `"\u0001\u001F"`},
		{"\x7f", `"\u007F"`},
		{"/", `"/"`},
		{"é", `"\u00E9"`},
		{"€", `"\u20AC"`},
		{"😀", `"\uD83D\uDE00"`},
		{"\U0010FFFD", `"\uDBFF\uDFFD"`},
		{"\xff", `"\uFFFD"`},
		{"\xfe", `"\uFFFD"`},
		{"a\xc0\x80b", `"a\u0000b"`},         // modified UTF-8 NUL
		{"a\x00b", `"a"`},                    // a NUL byte ends the C string
		{"\xc3(", `"\uFFFD("`},               // a missing continuation is read again
		{"\xed\xa0\x80", `"\uFFFD"`},         // a surrogate
		{"\xef\xbf\xbe", `"\uFFFD"`},         // a noncharacter
		{"\xc1\x81", `"\uFFFD"`},             // overlong
		{"\xe2\x82", `"\uFFFD"`},             // cut short by the end
		{"\x80\x80", `"\uFFFD\uFFFD"`},       // lone continuation bytes
		{"\xf8\x88\x80\x80\x80", `"\uFFFD"`}, // five bytes
	} {
		if got := string(AppendString(nil, tc.in)); got != tc.want {
			t.Errorf("AppendString(%q) = %s, want %s", tc.in, got, tc.want)
		}
	}
}

func TestAppendDouble(t *testing.T) {
	for _, tc := range []struct {
		in   float64
		want string
	}{
		{1, "1"}, {1.5, "1.5"}, {0.1, "0.10000000000000001"}, {1.5e300, "1.5000000000000001e+300"},
		{-0.0, "0"}, {math.Copysign(0, -1), "-0"}, {1e16, "10000000000000000"}, {1e17, "1e+17"},
		{1e-5, "1.0000000000000001e-05"}, {123456789012345678, "1.2345678901234568e+17"},
		{math.Inf(1), "inf"}, {math.Inf(-1), "-inf"}, {math.NaN(), "nan"},
		{18446744073709551616, "1.8446744073709552e+19"},
	} {
		if got := string(AppendDouble(nil, tc.in)); got != tc.want {
			t.Errorf("AppendDouble(%v) = %s, want %s", tc.in, got, tc.want)
		}
	}
}

func TestAppendCompactForm(t *testing.T) {
	d := NewDict().Put("a", IntValue(2))
	v := ArrayValue(IntValue(1), ObjectValue(d), NullValue(), BoolValue(true), BoolValue(false),
		UintValue(math.MaxUint64), ArrayValue(), ObjectValue(NewDict()), ObjectValue(nil))
	want := `[1, {"a": 2}, null, true, false, 18446744073709551615, [], {}, {}]`
	if got := string(Append(nil, v)); got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

// The buckets docs/protocol.md §1.6 describes, from the real QDict.
func TestBuckets(t *testing.T) {
	for key, want := range map[string]int{
		"return": 401, "id": 486, "error": 489, "class": 211, "desc": 377, "version": 184,
		"supported_commands": 484, "enabled": 33, "name": 39, "success-response": 472, "count": 243,
		"buf-b64": 310, "eof": 383, "pid": 472, "execute": 299, "exec-oob": 162, "foo": 490,
	} {
		if got := Bucket(key); got != want {
			t.Errorf("Bucket(%q) = %d, want %d", key, got, want)
		}
	}
}

func TestKeyOrder(t *testing.T) {
	for _, tc := range []struct {
		keys []string
		want string
	}{
		{[]string{"return", "id"}, `{"return": 0, "id": 1}`},
		{[]string{"id", "return"}, `{"return": 1, "id": 0}`},
		{[]string{"error", "id"}, `{"id": 1, "error": 0}`},
		{[]string{"class", "desc"}, `{"class": 0, "desc": 1}`},
		{[]string{"desc", "class"}, `{"class": 1, "desc": 0}`},
		// The same bucket (472): the newest key first.
		{[]string{"pid", "success-response"}, `{"success-response": 1, "pid": 0}`},
		{[]string{"success-response", "pid"}, `{"pid": 1, "success-response": 0}`},
		{[]string{"enabled", "name", "success-response"}, `{"enabled": 0, "name": 1, "success-response": 2}`},
		{[]string{"count", "buf-b64", "eof"}, `{"count": 0, "buf-b64": 1, "eof": 2}`},
		{[]string{"version", "supported_commands"}, `{"version": 0, "supported_commands": 1}`},
	} {
		d := NewDict()
		for i, k := range tc.keys {
			d.Put(k, IntValue(int64(i)))
		}
		if got := string(Append(nil, ObjectValue(d))); got != tc.want {
			t.Errorf("keys %v: got %s, want %s", tc.keys, got, tc.want)
		}
	}
}

// A big Dict (past smallDict keys) sorts lazily and must give the same
// order as one built small; replacing a key keeps its place.
func TestDictBigSameOrder(t *testing.T) {
	keys := []string{"pid", "success-response", "return", "id", "error", "a", "b", "c"}
	for i := range 40 {
		keys = append(keys, "k"+string(rune('a'+i%26))+string(rune('a'+i/26)))
	}
	big := NewDict()
	for i, k := range keys {
		big.Put(k, IntValue(int64(i)))
	}
	big.Put("id", StringValue("again"))
	// The expected order by the rule, computed independently.
	var want []string
	for b := range dictBuckets {
		for i := len(keys) - 1; i >= 0; i-- {
			if Bucket(keys[i]) == b {
				want = append(want, keys[i])
			}
		}
	}
	got := big.Keys()
	if len(got) != len(want) {
		t.Fatalf("%d keys, want %d", len(got), len(want))
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("key %d: %q, want %q (got %v)", i, got[i], want[i], got)
		}
	}
	if v, _ := big.Get("id"); v.S != "again" {
		t.Errorf("id = %v after replace", v)
	}
	if !big.Has("kaa") || big.Has("nope") {
		t.Error("Has is wrong on a big Dict")
	}
	c := ObjectValue(big).Clone()
	if string(Append(nil, c)) != string(Append(nil, ObjectValue(big))) {
		t.Error("Clone changed the order")
	}
}

func TestAppendIntLikeStrconv(t *testing.T) {
	cases := []int64{0, 1, -1, 9, 10, 99, 100, 12345678, 99999999, 100000000, 100000001, 1764000000000,
		-1764000000000, 9999999999999999, math.MaxInt64, math.MinInt64, math.MinInt64 + 1}
	for p := int64(1); p > 0 && p < math.MaxInt64/10; p *= 10 {
		cases = append(cases, p, p-1, p+1, -p)
	}
	for _, i := range cases {
		if got, want := string(AppendInt(nil, i)), strconv.FormatInt(i, 10); got != want {
			t.Errorf("%d: %q, want %q", i, got, want)
		}
	}
}

func FuzzAppendInt(f *testing.F) {
	f.Add(int64(1764000000000))
	f.Fuzz(func(t *testing.T, i int64) {
		if got, want := string(AppendInt([]byte("x"), i)), "x"+strconv.FormatInt(i, 10); got != want {
			t.Fatalf("%d: %q, want %q", i, got, want)
		}
	})
}
