package agent

import (
	"encoding/base64"
	"strconv"

	"github.com/qgasim/qgasim/sim/qjson"
	"github.com/qgasim/qgasim/sim/vtime"
)

// process is a child started by guest-exec, running in virtual time.
type process struct {
	prog    Program
	started int64
	capture bool
}

// guest-exec starts a program from Config.Programs and returns its pid.
func cmdExec(a *Agent, in *args, r *Reply) (qjson.Value, *cmdError) {
	path, _ := in.Str("path", false)
	in.StrList("arg", true)
	in.StrList("env", true)
	in.Str("input-data", true)
	capture, _ := in.Bool("capture-output", true)
	if !in.Done() {
		return qjson.Value{}, in.err
	}
	prog, ok := a.cfg.Programs[path]
	if !ok {
		// GLib's spawn error, wrapped as qemu-ga wraps a failed command.
		return qjson.Value{}, genericError("Guest agent command failed, error was 'Failed to execute child process \u201c" +
			path + "\u201d (No such file or directory)'")
	}
	pid := a.nextPID
	a.nextPID++
	a.procs[pid] = &process{prog: prog, started: a.now, capture: capture}
	d := qjson.NewDict().Put("pid", qjson.IntValue(pid))
	return qjson.ObjectValue(d), nil
}

// guest-exec-status reports a child; once it has reported the exit, the pid
// is forgotten, as in the real agent.
func cmdExecStatus(a *Agent, in *args, r *Reply) (qjson.Value, *cmdError) {
	pid, _ := in.Int("pid", false)
	if !in.Done() {
		return qjson.Value{}, in.err
	}
	p, ok := a.procs[pid]
	if !ok {
		return qjson.Value{}, genericError("Invalid parameter 'pid'")
	}
	d := qjson.NewDict()
	exited := a.now >= vtime.Add(p.started, p.prog.RunTime)
	d.Put("exited", qjson.BoolValue(exited))
	if !exited {
		return qjson.ObjectValue(d), nil
	}
	d.Put("exitcode", qjson.IntValue(int64(p.prog.ExitCode)))
	if p.capture && len(p.prog.Stdout) > 0 {
		d.Put("out-data", qjson.StringValue(base64.StdEncoding.EncodeToString(p.prog.Stdout)))
	}
	if p.capture && len(p.prog.Stderr) > 0 {
		d.Put("err-data", qjson.StringValue(base64.StdEncoding.EncodeToString(p.prog.Stderr)))
	}
	delete(a.procs, pid)
	return qjson.ObjectValue(d), nil
}

func handleNotFound(h int64) *cmdError {
	return genericError("handle '" + strconv.FormatInt(h, 10) + "' has not been found")
}
