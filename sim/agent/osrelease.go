package agent

import (
	"strings"
	"unicode/utf8"
)

// ParseOSRelease reads an os-release file the way qemu-ga 7.2 does for
// guest-get-osinfo (where QGA_OS_RELEASE names the file): the text must be
// UTF-8 and parse as a GLib key file once a group line is put before it
// (one bad line and the agent reports no os-release fields at all); each
// value is then unquoted by qemu-ga's own rule, not the shell's (see
// osReleaseValue). The kernel fields of the result are left empty; ok is
// false when the agent would ignore the file.
func ParseOSRelease(data []byte) (info OSInfo, ok bool) {
	if !utf8.Valid(data) {
		return OSInfo{}, false
	}
	kf, err := parseKeyFile(append([]byte("[os-release]\n"), data...))
	if err != nil {
		return OSInfo{}, false
	}
	get := func(key string) string {
		v, _ := kf.value("os-release", key)
		return osReleaseValue(v)
	}
	return OSInfo{ID: get("ID"), Name: get("NAME"), PrettyName: get("PRETTY_NAME"), Version: get("VERSION"),
		VersionID: get("VERSION_ID"), Variant: get("VARIANT"), VariantID: get("VARIANT_ID")}, true
}

// osReleaseValue is qemu-ga's unquoting of an os-release value. A value
// that does not start with a double quote is cut at its first space and
// at its first ';' (single quotes are kept as they are). A double-quoted
// value loses its quotes, and a backslash before $ ' " \ or ` is dropped
// (any other backslash stays). The copy is made in place, so a value
// whose closing quote is missing keeps the tail of the original: "abc
// becomes abcc.
func osReleaseValue(v string) string {
	if v == "" || v[0] != '"' {
		if i := strings.IndexByte(v, ' '); i >= 0 {
			v = v[:i]
		}
		if i := strings.IndexByte(v, ';'); i >= 0 {
			v = v[:i]
		}
		return v
	}
	buf := []byte(v)
	w := 0
	for r := 1; r < len(buf); r++ {
		switch {
		case buf[r] == '\\' && r+1 < len(buf) && strings.IndexByte("$'\"\\`", buf[r+1]) >= 0:
			r++
		case buf[r] == '"':
			return string(buf[:w])
		}
		buf[w] = buf[r]
		w++
	}
	return string(buf)
}
