package agent

import (
	"github.com/qgasim/qgasim/sim/qjson"
	"github.com/qgasim/qgasim/sim/vtime"
)

// cmdState is a command's enabled flag and the reason it was disabled, as
// QEMU keeps them per command. A freeze overwrites the reason of every
// command outside the allowlist; a thaw enables the ones not blocked and
// leaves a blocked command with the freeze's reason, as the real agent does.
type cmdState struct {
	enabled bool
	reason  string
}

// dispatch turns one message into the reply QEMU's qmp_dispatch builds
// (none for a command that sends no reply on success). It fills in r.
func (a *Agent) dispatch(m *qjson.Message, r *Reply) {
	if m.IsError() {
		// The agent's own error value: a client's sentinel makes one per
		// sync, and the response keeps it only until the next message.
		a.parseErr = cmdError{Class: ClassGeneric, Desc: m.Err}
		a.errorReply(r, &a.parseErr, nil)
		return
	}
	if m.Value.Kind != qjson.Object {
		a.errorReply(r, genericError("QMP input must be a JSON object"), nil)
		return
	}
	req := m.Value.O
	q := &a.req
	if !a.recallRequest(m.Shape, req) {
		checkRequest(req, q)
		a.rememberRequest(m.Shape)
	}
	var idp *qjson.Value
	if q.hasID {
		idp = &q.id
		r.ID = qjson.Append(nil, q.id)
	}
	if q.err != nil {
		a.errorReply(r, q.err, idp)
		return
	}
	name := q.execute
	r.Command = name
	idx := a.commandIndex(name)
	if idx < 0 {
		a.errorReply(r, &cmdError{Class: ClassCommandNotFound, Desc: "The command " + name + " has not been found"}, idp)
		return
	}
	cmd := commandList[idx]
	if st := &a.states[idx]; !st.enabled {
		desc := "Command " + name + " has been disabled"
		if st.reason != "" {
			desc += ": " + st.reason
		}
		a.errorReply(r, &cmdError{Class: ClassCommandNotFound, Desc: desc}, idp)
		return
	}
	argv := q.arguments
	if argv == nil {
		argv = &a.noArgs
	}
	if a.cfg.Latency != nil {
		a.now = vtime.Add(a.now, a.cfg.Latency[name])
	}
	a.in = args{dict: argv}
	a.rawRet = nil
	ret, err := cmd.fn(a, &a.in, r)
	a.in = args{}
	if err != nil {
		a.errorReply(r, err, idp)
		return
	}
	if !cmd.successResponse {
		a.resp = response{none: true}
		return
	}
	// Fields one by one: the response lives in the agent, and returning
	// or building it whole would copy it for every request.
	rsp := &a.resp
	rsp.none, rsp.ret, rsp.err, rsp.hasID = false, ret, nil, idp != nil
	rsp.raw, a.rawRet = a.rawRet, nil
	if idp != nil {
		rsp.id = *idp
	}
}

// commandIndex is the number of the command name, -1 for none.
func (a *Agent) commandIndex(name string) int {
	switch name {
	case a.lastCmd[0]:
		return a.lastCmdIdx[0]
	case a.lastCmd[1]:
		return a.lastCmdIdx[1]
	}
	idx := commandNames.Index(name)
	if idx >= 0 {
		// Only a command's own (short) name is kept, never a client's
		// arbitrary string.
		a.lastCmd[1], a.lastCmdIdx[1] = a.lastCmd[0], a.lastCmdIdx[0]
		a.lastCmd[0], a.lastCmdIdx[0] = commandNames.Get(idx), idx
	}
	return idx
}

func (a *Agent) errorReply(r *Reply, err *cmdError, id *qjson.Value) {
	r.Class, r.Desc = err.Class, err.Desc
	rsp := &a.resp
	rsp.none, rsp.ret, rsp.err, rsp.hasID = false, qjson.Value{}, err, id != nil
	rsp.raw, a.rawRet = nil, nil
	if id != nil {
		rsp.id = *id
	}
}

// requestFields is what checkRequest found in a request object.
type requestFields struct {
	execute   string
	arguments *qjson.Dict // nil when absent
	id        qjson.Value
	hasID     bool
	idAt      int       // the id's place in the request's walk
	err       *cmdError // the first problem, nil for none
}

// requestMemo is what checkRequest found in a request of a shape
// (qjson.Message.Shape): the next request of that shape has the same
// members, the same strings and the same objects, so the same problems
// and the same command; only its numbers may differ (an id is read again).
type requestMemo struct {
	shape uint64
	req   requestFields
}

// recallRequest fills in a.req for a request of a shape checked before.
func (a *Agent) recallRequest(shape uint64, req *qjson.Dict) bool {
	if shape == 0 {
		return false
	}
	for k := range a.reqMemo {
		if a.reqMemo[k].shape == shape {
			a.req = a.reqMemo[k].req
			if a.req.hasID {
				_, a.req.id = req.At(a.req.idAt)
			}
			return true
		}
	}
	return false
}

// rememberRequest keeps a.req for the next request of its shape, in
// place of the oldest kept.
func (a *Agent) rememberRequest(shape uint64) {
	if shape == 0 {
		return
	}
	copy(a.reqMemo[1:], a.reqMemo[:len(a.reqMemo)-1])
	a.reqMemo[0] = requestMemo{shape: shape, req: a.req}
}

// checkRequest walks the request's members in QDict order, once, and
// reports the first that qemu-ga refuses, and the members it needs. The id
// is taken wherever it is (qemu-ga reads it before the checks, so it is
// echoed whatever they find). qemu-ga does not allow out-of-band execution,
// so "exec-oob" is just another unexpected member.
func checkRequest(req *qjson.Dict, q *requestFields) {
	*q = requestFields{}
	hasExecute := false
	for i := 0; i < req.Len(); i++ {
		k, v := req.At(i)
		var err *cmdError
		switch k {
		case "execute":
			if v.Kind != qjson.String {
				err = genericError("QMP input member 'execute' must be a string")
			}
			q.execute, hasExecute = v.S, true
		case "arguments":
			if v.Kind != qjson.Object {
				err = genericError("QMP input member 'arguments' must be an object")
			}
			q.arguments = v.O
		case "id":
			q.id, q.hasID, q.idAt = v, true, i
		default:
			err = genericError("QMP input member '" + k + "' is unexpected")
		}
		if q.err == nil {
			q.err = err
		}
	}
	if q.err == nil && !hasExecute {
		q.err = genericError("QMP input lacks member 'execute'")
	}
}
