package agent

import "github.com/qgasim/qgasim/sim/qjson"

// guest-get-time returns the guest clock in nanoseconds since the epoch.
func cmdGetTime(a *Agent, in *args, r *Reply) (qjson.Value, *cmdError) {
	if !in.Done() {
		return qjson.Value{}, in.err
	}
	return qjson.IntValue(a.cfg.BootEpoch + a.clockOff + a.now), nil
}

// guest-set-time sets the guest clock (or, without a time, leaves it: the
// real agent then reads the hardware clock, which here is the same clock).
func cmdSetTime(a *Agent, in *args, r *Reply) (qjson.Value, *cmdError) {
	t, has := in.Int("time", true)
	if !in.Done() {
		return qjson.Value{}, in.err
	}
	if has {
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
		return qjson.Value{}, genericError("Parameter 'mode' expects 'halt', 'powerdown' or 'reboot'")
	}
	return noReturn, nil
}
