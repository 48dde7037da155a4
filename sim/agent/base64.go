package agent

// qemu-ga decodes guest-file-write's buf-b64 in two steps, and both show on
// the wire. First a check: every byte must be a base64 letter, '=' or '\n',
// else "Base64 data contains invalid characters". Then GLib's lenient
// decoder: it skips bytes outside the alphabet, treats '=' as the value 0,
// turns each group of four into three bytes but leaves out the second byte
// when the group's third character is '=' and the third byte when its fourth
// is, and drops an incomplete last group. So "aGVsbG8" decodes to "hel",
// "aG=s" to two bytes, and "====" to one (observed on qemu-ga 7.2).

const errBase64Invalid = "Base64 data contains invalid characters"

func b64Rank(c byte) int {
	switch {
	case c >= 'A' && c <= 'Z':
		return int(c - 'A')
	case c >= 'a' && c <= 'z':
		return int(c-'a') + 26
	case c >= '0' && c <= '9':
		return int(c-'0') + 52
	case c == '+':
		return 62
	case c == '/':
		return 63
	case c == '=':
		return 0
	}
	return -1
}

// decodeBase64 decodes s as qemu-ga does; ok is false for invalid characters.
func decodeBase64(s string) (out []byte, ok bool) {
	for i := 0; i < len(s); i++ {
		if b64Rank(s[i]) < 0 && s[i] != '\n' {
			return nil, false
		}
	}
	out = make([]byte, 0, len(s)/4*3)
	var v uint32
	n := 0
	var prev, last byte // the last two characters of the alphabet seen
	for i := 0; i < len(s); i++ {
		r := b64Rank(s[i])
		if r < 0 {
			continue
		}
		prev, last = last, s[i]
		v = v<<6 | uint32(r)
		n++
		if n < 4 {
			continue
		}
		out = append(out, byte(v>>16))
		if prev != '=' {
			out = append(out, byte(v>>8))
		}
		if last != '=' {
			out = append(out, byte(v))
		}
		v, n = 0, 0
	}
	return out, true
}
