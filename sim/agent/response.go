package agent

import "github.com/qgasim/qgasim/sim/qjson"

// response is the reply qmp_dispatch builds for one message.
type response struct {
	none bool        // a command that sends nothing on success
	ret  qjson.Value // the result, when err is nil
	raw  []byte      // ret as written, when known (a cached result)
	err  *cmdError
	id   qjson.Value // the request's id, echoed when hasID
	// hasID: the request had an id (a value, not a pointer to it, so that
	// nothing escapes to the heap per request)
	hasID bool
}

// appendResponse writes a reply as QEMU's writer writes the QDict that
// qmp_dispatch builds, without building it: its few members always come in
// the same QDict order, given by their buckets: "return" (401) before "id"
// (486), "id" before "error" (489), "class" (211) before "desc" (377).
// TestResponseBytesAsQDict checks the bytes against a qjson.Dict.
func appendResponse(dst []byte, rsp *response) []byte {
	if rsp.err == nil {
		dst = append(dst, `{"return": `...)
		if rsp.raw != nil {
			dst = append(dst, rsp.raw...)
		} else {
			dst = qjson.Append(dst, rsp.ret)
		}
		if rsp.hasID {
			dst = append(dst, `, "id": `...)
			dst = qjson.Append(dst, rsp.id)
		}
		return append(dst, '}')
	}
	dst = append(dst, '{')
	if rsp.hasID {
		dst = append(dst, `"id": `...)
		dst = qjson.Append(dst, rsp.id)
		dst = append(dst, ", "...)
	}
	dst = append(dst, `"error": {"class": `...)
	dst = qjson.AppendString(dst, rsp.err.Class)
	dst = append(dst, `, "desc": `...)
	dst = qjson.AppendString(dst, rsp.err.Desc)
	return append(dst, "}}"...)
}

// maxCachedError is the longest error text whose reply the agent keeps
// (Agent.errReply): a stray token's text may be as long as a message.
const maxCachedError = 256

// appendResponse writes the response dispatch decided on, from the last
// error reply's bytes when it is the same error without an id.
func (a *Agent) appendResponse(dst []byte) []byte {
	rsp := &a.resp
	if rsp.err == nil || rsp.hasID || len(rsp.err.Desc) > maxCachedError {
		return appendResponse(dst, rsp)
	}
	if a.errReply == nil || *rsp.err != a.errOf {
		a.errReply = appendResponse(a.errReply[:0], rsp)
		a.errOf = *rsp.err
	}
	return append(dst, a.errReply...)
}
