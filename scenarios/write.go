package scenarios

import (
	"strconv"
	"strings"
)

// Write writes a scenario as a YAML file that Load reads back as the same
// scenario: Load(Write(s)) == s for every s that Load returns. The file
// is canonical and readable: the head comment first, then the keys in the
// order of the library's files, the values the loader would default
// written out (seed, duration, transport, client strategy), zero values
// left out, a description on several lines as a literal block, bytes with
// the escapes of the byte grammar in single quotes, triggers and lists of
// names on one line. A program may change a loaded scenario (remove a
// fault, turn a trigger into fixed firings, remove steps, shorten a sleep)
// and write it back.
func Write(sc *Scenario) []byte {
	var e emitter
	if sc.Comment != "" {
		for _, l := range commentLines(sc.Comment) {
			if l == "" {
				e.b.WriteString("#\n")
				continue
			}
			e.b.WriteString("# " + commentText(l) + "\n")
		}
	}
	e.mapping(topSection.write(sc), 0, "")
	return []byte(e.b.String())
}

// commentLines splits a comment at every line break YAML knows.
func commentLines(s string) []string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	return strings.Split(s, "\n")
}

// commentText is a comment line as a file can hold it: a character YAML
// does not allow in a file (a control character) is written as its escape,
// since a comment has no escapes of its own; a loaded comment has none.
func commentText(l string) string {
	var b strings.Builder
	for _, r := range l {
		if r == '\t' || printableRune(r) {
			b.WriteRune(r)
			continue
		}
		q := strconv.QuoteRuneToASCII(r)
		b.WriteString(q[1 : len(q)-1])
	}
	return b.String()
}
