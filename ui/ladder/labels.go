package ladder

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/qgasim/qgasim/sim/check"
	"github.com/qgasim/qgasim/sim/trace"
	"github.com/qgasim/qgasim/ui/bytefmt"
)

// The labels are short on purpose: an arrow is a few dozen columns wide,
// and the byte panes and the report's streams have the full bytes.

// smallReply is the longest reply shown by its bytes rather than its size.
const smallReply = 40

// longID matches a sync id long enough to shorten: the digits are random
// and only their end tells two of them apart at a glance.
var longID = regexp.MustCompile(`(id=)?[0-9]{7,}`)

// shortIDs writes long numbers as "…" and their last four digits.
func shortIDs(s string) string {
	return longID.ReplaceAllStringFunc(s, func(d string) string { return "…" + d[len(d)-4:] })
}

// clip cuts s to at most n runes, ending in "…" when cut.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:max(n-1, 0)]) + "…"
}

func trimPrefix(s, p string) string { return strings.TrimPrefix(s, p) }

func hasFF(b []byte) bool { return bytes.IndexByte(b, 0xFF) >= 0 }

// quoteShort is the readable form of a few bytes: the trailing newline and
// any 0xFF left out (the arrow's sentinel mark shows it), long ids shortened.
func quoteShort(b []byte, n int) string {
	b = bytes.TrimSuffix(b, []byte("\n"))
	b = bytes.ReplaceAll(b, []byte{0xFF}, nil)
	return clip(shortIDs(trace.Quote(b)), n)
}

// hostLabel names a host write: "#1 guest-info" for a caller's command,
// the client's own label for its syncs and flushes, the bytes of a raw
// write.
func (b *Builder) hostLabel(ev trace.Event) string {
	label := ev.Text
	if ev.Req > 0 {
		cmd := b.reqCmd[ev.Req]
		rest := strings.TrimSpace(strings.Replace(label, fmt.Sprintf("#%d", ev.Req), "", 1))
		switch {
		case cmd == "":
			cmd = rest
		case rest != cmd && strings.HasPrefix(rest, cmd):
			cmd = rest // more than the command: "guest-ping (__qmp#00001)"
		}
		return shortIDs(fmt.Sprintf("#%d %s", ev.Req, cmd))
	}
	if label == "" || label == "raw" {
		return "raw '" + clip(shortIDs(trace.Quote(ev.Bytes)), 24) + "'"
	}
	return shortIDs(label)
}

// replyLabel names an agent reply: what it answers and, when short, its
// bytes; an error by its description.
func (b *Builder) replyLabel(ev trace.Event) string {
	req := 0
	none := true
	if o := ev.Origin; o != nil && o.Status == "write" {
		req, none = o.Req, false
	}
	if ev.Class != "" {
		desc := ev.Text
		if desc == "" {
			desc = ev.Class
		}
		desc = clip(desc, 48)
		if req > 0 {
			return fmt.Sprintf("error to #%d: %s", req, desc)
		}
		return "error: " + desc
	}
	var who string
	switch {
	case req > 0:
		who = fmt.Sprintf("reply to #%d", req)
	case none:
		who = "reply to bytes no host wrote"
	case ev.Cmd == "guest-sync" || ev.Cmd == "guest-sync-delimited":
		who = "sync reply"
	case ev.Cmd != "":
		who = ev.Cmd + " reply"
	default:
		who = "reply"
	}
	if ev.N <= smallReply {
		return who + ": " + quoteShort(ev.Bytes, smallReply)
	}
	if req > 0 && ev.Cmd != "" {
		who += " " + ev.Cmd
	}
	return fmt.Sprintf("%s, %s B", who, bytefmt.Count(ev.N))
}

// shortReplyName names the reply a caller was handed, for the outcome row.
func shortReplyName(m *message) string {
	switch {
	case m.req > 0 && m.cmd != "":
		return fmt.Sprintf("reply to #%d %s", m.req, m.cmd)
	case m.req > 0:
		return fmt.Sprintf("reply to #%d", m.req)
	case m.cmd != "":
		return "the client's own " + m.cmd + " reply"
	}
	return "a reply to no caller"
}

// VerdictWord is the oracle's verdict as a ladder says it: a tick for a
// right answer, a cross and capitals for a wrong one.
func VerdictWord(v check.Verdict) string {
	switch v {
	case "":
		return ""
	case check.Correct:
		return "✓ " + string(v)
	}
	return "✗ " + strings.ToUpper(string(v))
}

// portText says a virtio-serial port event: QEMU tells the host about the
// guest's port opening or closing (VSERPORT_CHANGE), at most once a second.
func portText(ev trace.Event) string {
	switch {
	case strings.Contains(ev.Text, "sent to the host"):
		return "VSERPORT_CHANGE " + ev.State + " reaches the host"
	case strings.Contains(ev.Text, "holds"):
		return "guest port " + ev.State + "; QEMU holds the event (1 a second)"
	}
	return "guest port " + ev.State + ": " + ev.Text
}
