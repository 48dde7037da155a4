package main

import (
	"bufio"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"time"
)

// liveClient is a tiny client for the scripts that test serve and proxy:
// qgasim-client ADDR REQUEST... connects to unix:PATH or tcp:HOST:PORT
// (retrying for a few seconds while the server starts), and for each
// request writes it and prints the line that comes back. A request
// "sleep:D" waits instead; "\xff" in a request is the byte 0xFF. A line
// that does not come whole within a second is printed as far as it came,
// marked "(timed out)".
func liveClient(args []string) int {
	if len(args) < 1 {
		fmt.Fprintln(os.Stderr, "usage: qgasim-client ADDR REQUEST...")
		return 2
	}
	network, addr, _ := strings.Cut(args[0], ":")
	var c net.Conn
	var err error
	for deadline := time.Now().Add(10 * time.Second); ; {
		if c, err = net.Dial(network, addr); err == nil {
			break
		}
		if time.Now().After(deadline) {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		time.Sleep(20 * time.Millisecond)
	}
	defer c.Close()
	r := bufio.NewReader(c)
	for _, req := range args[1:] {
		if d, ok := strings.CutPrefix(req, "sleep:"); ok {
			dd, _ := time.ParseDuration(d)
			time.Sleep(dd)
			continue
		}
		if _, err := c.Write([]byte(strings.ReplaceAll(req, `\xff`, "\xff"))); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		c.SetReadDeadline(time.Now().Add(time.Second))
		line, err := r.ReadString('\n')
		var ne net.Error
		switch {
		case errors.As(err, &ne) && ne.Timeout():
			// A reply cut short: print what came, and say so.
			fmt.Printf("%q (timed out)\n", line)
			continue
		case err != nil:
			fmt.Fprintln(os.Stderr, "read:", err)
			return 1
		}
		fmt.Printf("%q\n", line)
	}
	return 0
}
