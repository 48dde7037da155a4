package client

import (
	"bytes"
	"encoding/json"
	"strconv"
	"time"
)

// DefaultVMID is the Proxmox VM id in the texts a Proxmox caller sees,
// unless Options.VMID sets another: 100 is the first id Proxmox offers.
const DefaultVMID = 100

// pveFailed is what PVE::QMPClient's cmd dies with when the queue has an
// error (qemu-server src/PVE/QMPClient.pm, cmd): the peer, the command and
// the error. Since November 2025 the peer type is "qga" for agent commands;
// before, every command said "qmp command".
func (c *proxmox) pveFailed(cmd, err string) string {
	return "VM " + strconv.Itoa(c.vmid) + " qga command '" + cmd + "' failed - " + err
}

// pveConnectTimeout is open_connection's error when the socket does not
// accept within the command's timeout: it retries every 100 ms.
func (c *proxmox) pveConnectTimeout(timeout time.Duration) string {
	retries := int(timeout/(100*time.Millisecond)) + 1
	return "unable to connect to VM " + strconv.Itoa(c.vmid) + " qga socket - timeout after " + strconv.Itoa(retries) + " retries"
}

// pveAgentError is what agent_cmd's check_agent_error dies with for an
// agent error reply (PVE/QemuServer/Agent.pm): "Agent error: <desc>". A
// reply with no desc is handed back as it is.
func pveAgentError(line []byte) string {
	if _, desc, _ := errorOf(line); desc != "" {
		return "Agent error: " + desc
	}
	return ""
}

// perlJSONError is the start of what Perl's JSON (JSON::XS) dies with for a
// line it cannot decode: the two messages for the common cases, a generic
// one otherwise, with the character offset where decoding stopped.
func perlJSONError(line []byte) string {
	t := bytes.TrimLeft(line, " \t\r\n")
	skipped := len(line) - len(t)
	if len(t) == 0 {
		return "malformed JSON string, neither tag, array, object, number, string or atom, at character offset " + strconv.Itoa(skipped) + ` (before "(end of string)")`
	}
	switch t[0] {
	case '{', '[', '"', '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 't', 'f', 'n':
	default:
		return "malformed JSON string, neither tag, array, object, number, string or atom, at character offset " + strconv.Itoa(skipped) + ` (before "` + string(t) + `")`
	}
	dec := json.NewDecoder(bytes.NewReader(line))
	var v any
	if err := dec.Decode(&v); err == nil {
		off := int(dec.InputOffset())
		return "garbage after JSON object, at character offset " + strconv.Itoa(off) + ` (before "` + string(line[off:]) + `")`
	} else if se, ok := err.(*json.SyntaxError); ok {
		off := int(se.Offset) - 1
		off = max(0, min(off, len(line)))
		return "malformed JSON string, at character offset " + strconv.Itoa(off) + ` (before "` + string(line[off:]) + `")`
	}
	return "malformed JSON string"
}
