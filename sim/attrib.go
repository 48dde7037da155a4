package sim

import (
	"sort"
	"time"

	"github.com/qgasim/qgasim/sim/client"
	"github.com/qgasim/qgasim/sim/trace"
)

// DefaultRebootDown is how long a guest-shutdown mode=reboot keeps the
// agent down (the lab's guest answered 5 s after boot).
const DefaultRebootDown = 5 * time.Second

// writeRec is one host write: its range of the h2a writer stream.
type writeRec struct {
	off, n int64
	req    int
	conn   int
	what   string
}

// replyRec is one agent reply: its range of the a2h writer stream.
type replyRec struct {
	off, n     int64
	inc        int
	aseq       int64
	originReq  int
	originConn int
	cmd        string
}

// origin maps the h2a writer offset of the byte that ended an agent
// message (ok false: no byte the process read) to the host write that
// carried it.
func (w *World) origin(s int64, ok bool) *trace.Origin {
	if !ok {
		return &trace.Origin{Status: "none", Off: -1}
	}
	if s < 0 {
		return &trace.Origin{Status: "none", Off: s}
	}
	k := sort.Search(len(w.writes), func(k int) bool { return w.writes[k].off+w.writes[k].n > s })
	if k == len(w.writes) || w.writes[k].off > s {
		return &trace.Origin{Status: "none", Off: s}
	}
	wr := w.writes[k]
	return &trace.Origin{Status: "write", Req: wr.req, Conn: wr.conn, Off: s, What: wr.what}
}

// replyRef maps the bytes a caller got (offsets in everything the client
// received) to the agent reply they came from.
func (w *World) replyRef(o client.Outcome) *trace.ReplyRef {
	from, to := o.ReplyFrom, o.ReplyTo
	if to <= from || from < 0 || to > w.recvSrc.end {
		if len(o.Reply) > 0 || o.Kind == client.Returned || o.Kind == client.ErrorReply {
			return &trace.ReplyRef{Status: "none"}
		}
		return nil
	}
	var got *replyRec
	mixed, changed := false, false
	for i := from; i < to; i++ {
		s, _ := w.recvSrc.srcOf(i)
		if s < 0 {
			changed = true
			continue
		}
		if w.recvData[i] != w.a2hData[s] {
			changed = true
		}
		if got != nil && s >= got.off && s < got.off+got.n {
			continue
		}
		k := sort.Search(len(w.replies), func(k int) bool { return w.replies[k].off+w.replies[k].n > s })
		if k == len(w.replies) {
			continue
		}
		if got != nil {
			mixed = true
		}
		got = &w.replies[k]
	}
	switch {
	case got == nil:
		return &trace.ReplyRef{Status: "none"}
	case mixed:
		return &trace.ReplyRef{Status: "mixed"}
	}
	ref := &trace.ReplyRef{Status: "reply", Inc: got.inc, ASeq: got.aseq, OriginReq: got.originReq, OriginConn: got.originConn, Cmd: got.cmd}
	if changed {
		ref.Status = "corrupted"
	}
	return ref
}
