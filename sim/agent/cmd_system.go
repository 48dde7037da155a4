package agent

import "github.com/qgasim/qgasim/sim/qjson"

// guest-get-time returns the guest clock in nanoseconds since the epoch.
// It moves with virtual time; the real agent reads it in microseconds, so
// the last three digits are zero.
func cmdGetTime(a *Agent, in *args, r *Reply) (qjson.Value, *cmdError) {
	if !in.Done() {
		return qjson.Value{}, in.err
	}
	t := a.cfg.BootEpoch + a.clockOff + a.now
	return qjson.IntValue(t - t%1000), nil
}

// guest-set-time sets the guest clock (or, without a time, leaves it: the
// real agent then reads the hardware clock, which here is the same clock).
// settimeofday takes microseconds and refuses a time before the epoch.
func cmdSetTime(a *Agent, in *args, r *Reply) (qjson.Value, *cmdError) {
	t, has := in.Int("time", true)
	if !in.Done() {
		return qjson.Value{}, in.err
	}
	if has {
		if t < 0 {
			return qjson.Value{}, genericError("Failed to set time to guest: Invalid argument")
		}
		t -= t % 1000
		a.clockOff = t - a.cfg.BootEpoch - a.now
	}
	return noReturn, nil
}

// guest-get-host-name returns {"host-name": ...}.
func cmdGetHostName(a *Agent, in *args, r *Reply) (qjson.Value, *cmdError) {
	if !in.Done() {
		return qjson.Value{}, in.err
	}
	d := qjson.NewDict().Put("host-name", qjson.StringValue(a.cfg.HostName))
	return qjson.ObjectValue(d), nil
}

// guest-get-osinfo reports the configured operating system; empty fields are
// left out, as the real agent leaves out what os-release does not say.
func cmdGetOSInfo(a *Agent, in *args, r *Reply) (qjson.Value, *cmdError) {
	if !in.Done() {
		return qjson.Value{}, in.err
	}
	o := a.cfg.OS
	d := qjson.NewDict()
	for _, f := range []struct{ k, v string }{
		{"kernel-release", o.KernelRelease}, {"kernel-version", o.KernelVersion}, {"machine", o.Machine},
		{"id", o.ID}, {"name", o.Name}, {"pretty-name", o.PrettyName}, {"version", o.Version},
		{"version-id", o.VersionID}, {"variant", o.Variant}, {"variant-id", o.VariantID},
	} {
		if f.v != "" {
			d.Put(f.k, qjson.StringValue(f.v))
		}
	}
	return qjson.ObjectValue(d), nil
}

// guest-shutdown sends no reply when it succeeds; the guest goes down.
func cmdShutdown(a *Agent, in *args, r *Reply) (qjson.Value, *cmdError) {
	mode, has := in.Str("mode", true)
	if !in.Done() {
		return qjson.Value{}, in.err
	}
	switch {
	case !has || mode == "powerdown" || mode == "halt":
		r.Effect = EffectShutdown
	case mode == "reboot":
		r.Effect = EffectReboot
	default:
		// The real text has no closing parenthesis.
		return qjson.Value{}, genericError("mode is invalid (valid values are: halt|powerdown|reboot")
	}
	return noReturn, nil
}

// The suspend commands: a mode the guest supports sends no reply and the
// guest suspends; the others fail (most VMs support none).
func cmdSuspendDisk(a *Agent, in *args, r *Reply) (qjson.Value, *cmdError) {
	return a.suspend("disk", in, r)
}

func cmdSuspendRAM(a *Agent, in *args, r *Reply) (qjson.Value, *cmdError) {
	return a.suspend("ram", in, r)
}

func cmdSuspendHybrid(a *Agent, in *args, r *Reply) (qjson.Value, *cmdError) {
	return a.suspend("hybrid", in, r)
}

func (a *Agent) suspend(mode string, in *args, r *Reply) (qjson.Value, *cmdError) {
	if !in.Done() {
		return qjson.Value{}, in.err
	}
	for _, m := range a.cfg.SuspendModes {
		if m == mode {
			r.Effect = EffectSuspend
			return noReturn, nil
		}
	}
	return qjson.Value{}, genericError("the requested suspend mode is not supported by the guest")
}
