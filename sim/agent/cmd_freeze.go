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

// freeze freezes n file systems. Freezing none leaves the agent thawed, as
// qemu-ga undoes its frozen state when no FIFREEZE was issued.
func (a *Agent) freeze(n int, r *Reply) qjson.Value {
	if n > 0 {
		a.persist.Frozen = true
		a.guest.frozenFS = n
		a.disableForFreeze()
		r.Effect = EffectFrozen
	}
	return qjson.IntValue(int64(n))
}

// guest-fsfreeze-freeze freezes every file system and returns how many.
func cmdFreeze(a *Agent, in *args, r *Reply) (qjson.Value, *cmdError) {
	if !in.Done() {
		return qjson.Value{}, in.err
	}
	return a.freeze(len(a.cfg.FileSystems), r), nil
}

// guest-fsfreeze-freeze-list freezes the file systems mounted at the listed
// mount points (all of them without a list); other mount points are
// ignored.
func cmdFreezeList(a *Agent, in *args, r *Reply) (qjson.Value, *cmdError) {
	list, has := in.StrList("mountpoints", true)
	if !in.Done() {
		return qjson.Value{}, in.err
	}
	n := len(a.cfg.FileSystems)
	if has {
		n = 0
		for _, fs := range a.cfg.FileSystems {
			if contains(list, fs.Mountpoint) {
				n++
			}
		}
	}
	return a.freeze(n, r), nil
}

// guest-fsfreeze-thaw thaws and returns how many file systems were frozen
// (0 when none was). An agent that started frozen (the marker in its state
// directory) finds every file system frozen.
func cmdThaw(a *Agent, in *args, r *Reply) (qjson.Value, *cmdError) {
	if !in.Done() {
		return qjson.Value{}, in.err
	}
	n := 0
	if a.persist.Frozen {
		n = a.guest.frozenFS
		if n == 0 {
			n = len(a.cfg.FileSystems)
		}
		r.Effect = EffectThawed
		a.persist.Frozen = false
		a.guest.frozenFS = 0
		a.enableAfterThaw()
	}
	return qjson.IntValue(int64(n)), nil
}
