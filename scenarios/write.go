package scenarios

import (
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
			e.b.WriteString("# " + l + "\n")
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
