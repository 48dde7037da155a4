package agent

import (
	"sync"
	"sync/atomic"

	"github.com/qgasim/qgasim/sim/qjson"
)

// guest-sync echoes its id.
func cmdSync(a *Agent, in *args, r *Reply) (qjson.Value, *cmdError) {
	id, _ := in.Int("id", false)
	if !in.Done() {
		return qjson.Value{}, in.err
	}
	return qjson.IntValue(id), nil
}

// guest-sync-delimited echoes its id and puts a 0xFF before its own reply.
// The flag is set only once the arguments are good, so an error reply has no
// sentinel.
func cmdSyncDelimited(a *Agent, in *args, r *Reply) (qjson.Value, *cmdError) {
	id, _ := in.Int("id", false)
	if !in.Done() {
		return qjson.Value{}, in.err
	}
	a.delimit = true
	return qjson.IntValue(id), nil
}

// guest-ping answers {}.
func cmdPing(a *Agent, in *args, r *Reply) (qjson.Value, *cmdError) {
	if !in.Done() {
		return qjson.Value{}, in.err
	}
	return noReturn, nil
}

// guest-info reports the version and every command with its current state.
func cmdInfo(a *Agent, in *args, r *Reply) (qjson.Value, *cmdError) {
	if !in.Done() {
		return qjson.Value{}, in.err
	}
	key := make([]byte, 0, len(a.cfg.Version)+1+len(commandOrder))
	key = append(append(key, a.cfg.Version...), 0)
	for _, name := range commandOrder {
		key = append(key, boolByte(a.state(name).enabled))
	}
	if c, ok := infoCache.Load(string(key)); ok {
		e := c.(*infoEntry)
		a.rawRet = e.raw
		return e.v, nil
	}
	list := make([]qjson.Value, 0, len(commandOrder))
	for _, name := range commandOrder {
		d := qjson.NewDict()
		d.Put("enabled", qjson.BoolValue(a.state(name).enabled))
		d.Put("name", qjson.StringValue(name))
		d.Put("success-response", qjson.BoolValue(a.cmds[name].successResponse))
		list = append(list, qjson.ObjectValue(d))
	}
	info := qjson.NewDict()
	info.Put("version", qjson.StringValue(a.cfg.Version))
	info.Put("supported_commands", qjson.ArrayValue(list...))
	v := qjson.ObjectValue(info)
	if infoCached.Add(1) <= infoCacheMax {
		infoCache.Store(string(key), &infoEntry{v: v, raw: qjson.Append(nil, v)})
	}
	return v, nil
}

// guest-info's result depends only on the version and which commands are
// enabled, and a sweep asks it of thousands of agents alike: it is built
// once per pair and shared (the reply writer only reads it; its dicts are
// small and never reorder when walked). At most infoCacheMax are kept, so
// that versions from hostile files cannot grow it.
var (
	infoCache  sync.Map // string -> *infoEntry
	infoCached atomic.Int64
)

const infoCacheMax = 64

func boolByte(b bool) byte {
	if b {
		return '1'
	}
	return '0'
}

// infoEntry is a cached guest-info result and the bytes the reply writer
// makes of it (the same for every agent that has it).
type infoEntry struct {
	v   qjson.Value
	raw []byte
}
