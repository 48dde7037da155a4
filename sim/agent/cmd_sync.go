package agent

import "github.com/qgasim/qgasim/sim/qjson"

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
	list := make([]qjson.Value, 0, len(commandOrder))
	for _, name := range commandOrder {
		d := qjson.NewDict()
		d.Put("enabled", qjson.BoolValue(a.state[name].enabled))
		d.Put("name", qjson.StringValue(name))
		d.Put("success-response", qjson.BoolValue(a.cmds[name].successResponse))
		list = append(list, qjson.ObjectValue(d))
	}
	info := qjson.NewDict()
	info.Put("version", qjson.StringValue(a.cfg.Version))
	info.Put("supported_commands", qjson.ArrayValue(list...))
	return qjson.ObjectValue(info), nil
}
