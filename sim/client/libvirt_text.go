package client

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
)

// The texts a libvirt 9.0 user sees (virsh prints them after "error: "),
// from docs/libvirt.md and qemu_agent.c. Agent errors are internal errors
// that name the command; the others are VIR_ERR_AGENT_UNRESPONSIVE.
const (
	lvNotAvailable = "Guest agent is not responding: Guest agent not available for now"
	lvNotConnected = "Guest agent is not responding: QEMU guest agent is not connected"
	lvDisappeared  = "Guest agent is not responding: Guest agent disappeared while executing command"
	lvPoisoned     = "Guest agent is not responding: QEMU guest agent is not available due to an error"
	lvBusy         = "another agent command is in progress"
	// lvJobTimeout is a caller that waited 30 s for the agent job
	// (VIR_ERR_OPERATION_TIMEOUT; the job's owner is the API of the call
	// that holds it, here virsh qemu-agent-command's).
	lvJobTimeout = "Timed out during operation: cannot acquire state change lock (held by agent=remoteDispatchDomainQemuAgentCommand)"
)

// lvAgentError is what the caller of cmd sees for an agent error reply
// (qemuAgentCheckError; docs/libvirt.md, X1): the command's name and the
// error's desc, or, without a desc, libvirt's words for its class.
func lvAgentError(cmd string, line []byte) string {
	var reply struct {
		Error json.RawMessage `json:"error"`
	}
	_ = json.Unmarshal(line, &reply)
	if len(reply.Error) == 0 || string(reply.Error) == "null" {
		return "internal error: unable to execute QEMU agent command '" + cmd + "'"
	}
	var e struct {
		Class *string `json:"class"`
		Desc  *string `json:"desc"`
	}
	_ = json.Unmarshal(reply.Error, &e)
	detail := ""
	switch {
	case e.Desc != nil:
		detail = *e.Desc
	case e.Class != nil:
		detail = lvClassText(*e.Class)
	default:
		detail = "unknown QEMU command error"
	}
	return "internal error: unable to execute QEMU agent command '" + cmd + "': " + detail
}

// lvClassText is qemuAgentStringifyErrorClass: libvirt's words for an error
// class when the reply has no desc.
func lvClassText(class string) string {
	if t, ok := lvClassTexts[class]; ok {
		return t
	}
	return class
}

var lvClassTexts = map[string]string{
	"BufferOverrun":             "Buffer overrun",
	"CommandDisabled":           "The command has been disabled for this instance",
	"CommandNotFound":           "The command has not been found",
	"FdNotFound":                "File descriptor not found",
	"InvalidParameter":          "Invalid parameter",
	"InvalidParameterType":      "Invalid parameter type",
	"InvalidParameterValue":     "Invalid parameter value",
	"OpenFileFailed":            "Cannot open file",
	"QgaCommandFailed":          "Guest agent command failed",
	"QMPBadInputObjectMember":   "Bad QMP input object member",
	"QMPExtraInputObjectMember": "Unexpected extra object member",
	"UndefinedError":            "An undefined error has occurred",
	"Unsupported":               "this feature or command is not currently supported",
}

// lvParseError is the text of a line libvirt 9.0 (built with yajl) cannot
// parse: "cannot parse json <line>: <yajl's error>". The lab saw "lexical
// error: invalid char in json text." (garbage), "lexical error: invalid
// string in json text." (not json) and "parse error: premature EOF" (an
// empty line); the others follow yajl's error table.
func lvParseError(line []byte) string {
	return "internal error: cannot parse json " + string(line) + ": " + yajlError(line)
}

func yajlError(line []byte) string {
	t := bytes.TrimLeft(line, " \t\r\n")
	if len(t) == 0 {
		return "parse error: premature EOF"
	}
	dec := json.NewDecoder(bytes.NewReader(t))
	var v any
	err := dec.Decode(&v)
	switch {
	case err == nil:
		// A whole value with more after it.
		return "parse error: trailing garbage"
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "parse error: premature EOF"
	}
	switch t[0] {
	case 't', 'f', 'n':
		// yajl reads a literal and finds it is none of true, false, null.
		return "lexical error: invalid string in json text."
	}
	return "lexical error: invalid char in json text."
}
