package trace

import (
	"encoding/json"
	"strconv"
	"unicode/utf8"
)

// AppendJSON appends ev as one JSON object, exactly the bytes that
// encoding/json's Marshal gives (fields in the order of Event, zero fields
// left out, strings escaped as Marshal escapes them), without reflection:
// a long run's trace spends its time here. TestAppendJSONIsMarshal and
// FuzzAppendJSON hold it to Marshal.
func AppendJSON(dst []byte, ev *Event) []byte {
	dst = append(dst, `{"t":`...)
	dst = strconv.AppendInt(dst, ev.T, 10)
	dst = append(dst, `,"seq":`...)
	dst = strconv.AppendInt(dst, ev.Seq, 10)
	dst = append(dst, `,"kind":`...)
	dst = appendString(dst, ev.Kind)
	dst = optString(dst, `,"dir":`, ev.Dir)
	dst = optInt(dst, `,"off":`, ev.Off)
	dst = optInt(dst, `,"n":`, ev.N)
	if len(ev.Bytes) > 0 {
		dst = append(dst, `,"bytes":`...)
		dst = appendQuotedBytes(dst, ev.Bytes)
	}
	dst = optSpans(dst, `,"src":`, ev.Src)
	dst = optSpans(dst, `,"lost":`, ev.Lost)
	dst = optSpans(dst, `,"changed":`, ev.Changed)
	dst = optInt(dst, `,"added":`, ev.Added)
	dst = optString(dst, `,"fault":`, ev.Fault)
	dst = optString(dst, `,"name":`, ev.Name)
	dst = optInt(dst, `,"conn":`, int64(ev.Conn))
	dst = optInt(dst, `,"inc":`, int64(ev.Inc))
	dst = optInt(dst, `,"aseq":`, ev.ASeq)
	dst = optInt(dst, `,"req":`, int64(ev.Req))
	dst = optInt(dst, `,"step":`, int64(ev.Step))
	dst = optInt(dst, `,"until":`, ev.Until)
	dst = optString(dst, `,"cmd":`, ev.Cmd)
	dst = optString(dst, `,"class":`, ev.Class)
	dst = optString(dst, `,"state":`, ev.State)
	dst = optString(dst, `,"outcome":`, ev.Outcome)
	dst = optString(dst, `,"text":`, ev.Text)
	if o := ev.Origin; o != nil {
		dst = append(dst, `,"origin":{"status":`...)
		dst = appendString(dst, o.Status)
		dst = optInt(dst, `,"req":`, int64(o.Req))
		dst = optInt(dst, `,"conn":`, int64(o.Conn))
		dst = append(dst, `,"off":`...)
		dst = strconv.AppendInt(dst, o.Off, 10)
		dst = optString(dst, `,"what":`, o.What)
		dst = append(dst, '}')
	}
	if r := ev.Reply; r != nil {
		dst = append(dst, `,"reply":{"status":`...)
		dst = appendString(dst, r.Status)
		dst = optInt(dst, `,"inc":`, int64(r.Inc))
		dst = optInt(dst, `,"aseq":`, r.ASeq)
		dst = optInt(dst, `,"origin_req":`, int64(r.OriginReq))
		dst = optInt(dst, `,"origin_conn":`, int64(r.OriginConn))
		dst = optString(dst, `,"cmd":`, r.Cmd)
		dst = append(dst, '}')
	}
	if ev.Session != nil {
		// One event of a live trace: Marshal's own float formatting is
		// worth more here than its cost.
		b, _ := json.Marshal(ev.Session)
		dst = append(append(dst, `,"session":`...), b...)
	}
	return append(dst, '}')
}

func optInt(dst []byte, key string, v int64) []byte {
	if v == 0 {
		return dst
	}
	return strconv.AppendInt(append(dst, key...), v, 10)
}

func optString(dst []byte, key, s string) []byte {
	if s == "" {
		return dst
	}
	return appendString(append(dst, key...), s)
}

func optSpans(dst []byte, key string, spans []Span) []byte {
	if len(spans) == 0 {
		return dst
	}
	dst = append(dst, key...)
	dst = append(dst, '[')
	for i, s := range spans {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, '[')
		dst = strconv.AppendInt(dst, s.Off, 10)
		dst = append(dst, ',')
		dst = strconv.AppendInt(dst, s.N, 10)
		dst = append(dst, ']')
	}
	return append(dst, ']')
}

// appendQuotedBytes is Bytes.MarshalJSON without its allocations: the
// readable form (printable ASCII, \\, \xNN) as a JSON string, where the
// backslash is doubled again and <, >, & are escaped as Marshal does.
func appendQuotedBytes(dst []byte, b []byte) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	for _, c := range b {
		switch {
		case c == '\\':
			dst = append(dst, `\\\\`...)
		case c == '"':
			dst = append(dst, '\\', '"')
		case c == '<' || c == '>' || c == '&':
			dst = append(dst, '\\', 'u', '0', '0', hex[c>>4], hex[c&15])
		case c >= 0x20 && c < 0x7f:
			dst = append(dst, c)
		default:
			dst = append(dst, '\\', '\\', 'x', hex[c>>4], hex[c&15])
		}
	}
	return append(dst, '"')
}

// appendString is encoding/json's string encoding with HTML escaping, as
// Marshal does it: ", \ and control characters escaped (\b \f \n \r \t
// short), <, > and & as \u00XX, invalid UTF-8 as \ufffd, U+2028 and U+2029
// escaped.
func appendString(dst []byte, s string) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		b := s[i]
		if b < utf8.RuneSelf {
			if b >= 0x20 && b != '"' && b != '\\' && b != '<' && b != '>' && b != '&' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch b {
			case '\\', '"':
				dst = append(dst, '\\', b)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hex[b>>4], hex[b&0xF])
			}
			i++
			start = i
			continue
		}
		c, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case c == utf8.RuneError && size == 1:
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
		case c == '\u2028' || c == '\u2029':
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hex[c&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
