package main

import (
	"flag"
	"io"
	"strconv"
	"strings"
	"testing"
)

func TestParseInterleaved(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"f.yaml", "--seed", "3", "--log", "x.log"}, "seed=3 log=x.log json=false args=f.yaml"},
		{[]string{"--json", "f.yaml", "--seed=4"}, "seed=4 log= json=true args=f.yaml"},
		{[]string{"--", "-odd.yaml"}, "seed=0 log= json=false args=-odd.yaml"},
	} {
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		seed := fs.Int("seed", 0, "")
		log := fs.String("log", "", "")
		js := fs.Bool("json", false, "")
		if err := parseInterleaved(fs, c.args); err != nil {
			t.Fatalf("%q: %v", c.args, err)
		}
		got := "seed=" + strconv.Itoa(*seed) + " log=" + *log + " json=" + map[bool]string{true: "true", false: "false"}[*js] +
			" args=" + strings.Join(fs.Args(), ",")
		if got != c.want {
			t.Errorf("%q: %s, want %s", c.args, got, c.want)
		}
	}
}
