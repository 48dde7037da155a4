package agent

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// keyFile is a GLib key file ("INI" style), read the way GLib reads one:
// qemu-ga keeps its configuration in one (QGA_CONF, group [general]) and
// reads os-release as one. Only what those two need is here.
//
// The rules, as GLib applies them: lines end at "\n" (a "\r" before it is
// dropped); leading blanks of a line are ignored; "#" starts a comment; a
// group is "[name]"; a key-value line is "key=value", the key losing its
// trailing blanks and the value its leading ones; a key before any group,
// an empty or badly formed key, and any other line fail the whole file;
// the last of duplicate keys wins and a group named twice is one group.
type keyFile struct {
	groups []*keyGroup
}

type keyGroup struct {
	name string
	keys []string          // in the order first set
	vals map[string]string // raw values
}

// keyFileError is a key file that GLib refuses, with the line it failed on.
type keyFileError struct {
	Line int
	Msg  string
}

func (e *keyFileError) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Msg) }

func parseKeyFile(data []byte) (*keyFile, error) {
	kf := &keyFile{}
	var cur *keyGroup
	lines := strings.Split(string(data), "\n")
	for n, line := range lines {
		fail := func(format string, a ...any) error {
			return &keyFileError{Line: n + 1, Msg: fmt.Sprintf(format, a...)}
		}
		line = strings.TrimSuffix(line, "\r")
		line = strings.TrimLeft(line, " \t\n\v\f\r")
		switch {
		case line == "" || line[0] == '#':
			continue
		case isGroupLine(line):
			name := line[1:strings.IndexByte(line, ']')]
			if name == "" || strings.ContainsAny(name, "[]") || hasControl(name) {
				return nil, fail("invalid group name %q", name)
			}
			cur = kf.group(name, true)
		default:
			eq := strings.IndexByte(line, '=')
			if eq <= 0 {
				return nil, fail("%q is not a key-value pair, a group or a comment", line)
			}
			key := strings.TrimRight(line[:eq], " \t\n\v\f\r")
			val := strings.TrimLeft(line[eq+1:], " \t\n\v\f\r")
			if cur == nil {
				return nil, fail("a key before the first group (a key file starts with a [group])")
			}
			if key == "" || key[0] == ' ' || strings.ContainsAny(key, "[]") {
				return nil, fail("invalid key name %q", key)
			}
			if !utf8.ValidString(key) || !utf8.ValidString(val) {
				return nil, fail("key %q or its value is not UTF-8", key)
			}
			if _, seen := cur.vals[key]; !seen {
				cur.keys = append(cur.keys, key)
			}
			cur.vals[key] = val
		}
	}
	return kf, nil
}

// isGroupLine: "[" then anything up to "]", then only blanks.
func isGroupLine(line string) bool {
	if line[0] != '[' {
		return false
	}
	end := strings.IndexByte(line, ']')
	return end > 0 && strings.Trim(line[end+1:], " \t") == ""
}

func hasControl(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] == 0x7f {
			return true
		}
	}
	return false
}

func (kf *keyFile) group(name string, create bool) *keyGroup {
	for _, g := range kf.groups {
		if g.name == name {
			return g
		}
	}
	if !create {
		return nil
	}
	g := &keyGroup{name: name, vals: map[string]string{}}
	kf.groups = append(kf.groups, g)
	return g
}

// value returns a key's raw value.
func (kf *keyFile) value(group, key string) (string, bool) {
	g := kf.group(group, false)
	if g == nil {
		return "", false
	}
	v, ok := g.vals[key]
	return v, ok
}

// str returns a key's value with GLib's escapes undone: \s \n \t \r \\.
func (kf *keyFile) str(group, key string) (string, bool, error) {
	v, ok := kf.value(group, key)
	if !ok {
		return "", false, nil
	}
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		if v[i] != '\\' {
			b.WriteByte(v[i])
			continue
		}
		if i+1 == len(v) {
			return "", true, fmt.Errorf("key %q: an escape character at the end of the value", key)
		}
		i++
		switch v[i] {
		case 's':
			b.WriteByte(' ')
		case 'n':
			b.WriteByte('\n')
		case 't':
			b.WriteByte('\t')
		case 'r':
			b.WriteByte('\r')
		case '\\':
			b.WriteByte('\\')
		default:
			return "", true, fmt.Errorf("key %q: invalid escape sequence \\%c", key, v[i])
		}
	}
	return b.String(), true, nil
}

// boolean returns a key's value as GLib reads a boolean: true or 1, false
// or 0.
func (kf *keyFile) boolean(group, key string) (bool, bool, error) {
	v, ok := kf.value(group, key)
	if !ok {
		return false, false, nil
	}
	switch strings.TrimRight(v, " \t") {
	case "true", "1":
		return true, true, nil
	case "false", "0":
		return false, true, nil
	}
	return false, true, fmt.Errorf("key %q: %q is not a boolean (true, false, 1 or 0)", key, v)
}

// escapeKeyValue writes a string as GLib's g_key_file_set_string does:
// leading blanks and every newline, carriage return and backslash escaped.
func escapeKeyValue(s string) string {
	var b strings.Builder
	leading := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ' && leading:
			b.WriteString(`\s`)
			continue
		case c == '\t' && leading:
			b.WriteString(`\t`)
			continue
		case c == '\n':
			b.WriteString(`\n`)
		case c == '\r':
			b.WriteString(`\r`)
		case c == '\\':
			b.WriteString(`\\`)
		default:
			b.WriteByte(c)
		}
		leading = false
	}
	return b.String()
}
