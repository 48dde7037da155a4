package agent

import "github.com/qgasim/qgasim/sim/qjson"

// guest-fsfreeze-status: "frozen" or "thawed".
func cmdFreezeStatus(a *Agent, in *args, r *Reply) (qjson.Value, *cmdError) {
	if !in.Done() {
		return qjson.Value{}, in.err
	}
	if a.persist.Frozen {
		return qjson.StringValue("frozen"), nil
	}
	return qjson.StringValue("thawed"), nil
}

func (a *Agent) freeze(n int, r *Reply) qjson.Value {
	a.persist.Frozen = true
	a.disableForFreeze()
	r.Effect = EffectFrozen
	return qjson.IntValue(int64(n))
}

// guest-fsfreeze-freeze freezes every file system and returns how many.
func cmdFreeze(a *Agent, in *args, r *Reply) (qjson.Value, *cmdError) {
	if !in.Done() {
		return qjson.Value{}, in.err
	}
	return a.freeze(a.cfg.Filesystems, r), nil
}

// guest-fsfreeze-freeze-list freezes the listed mount points (all without a list).
func cmdFreezeList(a *Agent, in *args, r *Reply) (qjson.Value, *cmdError) {
	list, has := in.StrList("mountpoints", true)
	if !in.Done() {
		return qjson.Value{}, in.err
	}
	n := a.cfg.Filesystems
	if has {
		n = len(list)
	}
	return a.freeze(n, r), nil
}

// guest-fsfreeze-thaw thaws and returns how many file systems were frozen
// (0 when none was).
func cmdThaw(a *Agent, in *args, r *Reply) (qjson.Value, *cmdError) {
	if !in.Done() {
		return qjson.Value{}, in.err
	}
	n := 0
	if a.persist.Frozen {
		n = a.cfg.Filesystems
		r.Effect = EffectThawed
		a.persist.Frozen = false
		a.enableAfterThaw()
	}
	return qjson.IntValue(int64(n)), nil
}
