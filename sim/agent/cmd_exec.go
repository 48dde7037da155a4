package agent

import (
	"encoding/base64"
	"strconv"
	"time"

	"github.com/qgasim/qgasim/sim/qjson"
	"github.com/qgasim/qgasim/sim/vtime"
)

// process is a child started by guest-exec. It runs in virtual time: its
// result is worked out when it starts and shows once it has run for its
// run time, as a real child's output shows only when it has exited.
type process struct {
	started int64
	result  runResult
	capture bool
}

// maxExecOutput is how much of a child's stdout and of its stderr qemu-ga
// keeps (GUEST_EXEC_MAX_OUTPUT, 16 MiB); the rest is dropped and the
// status says truncated.
const maxExecOutput = 16 << 20

// guest-exec starts a program (a built-in one or one of Config.Programs)
// and returns its pid.
func cmdExec(a *Agent, in *args, r *Reply) (qjson.Value, *cmdError) {
	path, _ := in.Str("path", false)
	argv, _ := in.StrList("arg", true)
	env, hasEnv := in.StrList("env", true)
	input, hasInput := in.Str("input-data", true)
	capture, _ := in.Bool("capture-output", true)
	if !in.Done() {
		return qjson.Value{}, in.err
	}
	var stdin []byte
	if hasInput {
		var ok bool
		if stdin, ok = decodeBase64(input); !ok {
			return qjson.Value{}, genericError(errBase64Invalid)
		}
	}
	if !hasEnv {
		env = agentEnv
	}
	prog, err := a.lookProgram(path)
	if err != nil {
		// GLib's spawn error, wrapped as qemu-ga wraps a failed command.
		return qjson.Value{}, genericError("Guest agent command failed, error was 'Failed to execute child process \u201c" +
			path + "\u201d (" + errnoText(err) + ")'")
	}
	res := prog(a, &runContext{argv: append([]string{path}, argv...), env: env, stdin: stdin})
	pid := a.nextPID
	a.nextPID++
	a.procs[pid] = &process{started: a.now, result: res, capture: capture}
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
	exited := a.now >= vtime.Add(p.started, time.Duration(p.result.runTime))
	d.Put("exited", qjson.BoolValue(exited))
	if !exited {
		return qjson.ObjectValue(d), nil
	}
	res := p.result
	if res.signal != 0 {
		d.Put("signal", qjson.IntValue(int64(res.signal)))
	} else {
		d.Put("exitcode", qjson.IntValue(int64(res.exitCode)))
	}
	if p.capture {
		// Members in the schema's order: the data, then the flags. A stream
		// that stayed empty is left out with its flag.
		out, outCut := captured(res.stdout)
		errs, errCut := captured(res.stderr)
		if out != "" {
			d.Put("out-data", qjson.StringValue(out))
		}
		if errs != "" {
			d.Put("err-data", qjson.StringValue(errs))
		}
		if out != "" {
			d.Put("out-truncated", qjson.BoolValue(outCut))
		}
		if errs != "" {
			d.Put("err-truncated", qjson.BoolValue(errCut))
		}
	}
	delete(a.procs, pid)
	return qjson.ObjectValue(d), nil
}

// captured is a stream as the status reports it: base64 of what was kept,
// and whether it was cut at the limit.
func captured(b []byte) (string, bool) {
	truncated := len(b) > maxExecOutput
	if truncated {
		b = b[:maxExecOutput]
	}
	return base64.StdEncoding.EncodeToString(b), truncated
}

func handleNotFound(h int64) *cmdError {
	return genericError("handle '" + strconv.FormatInt(h, 10) + "' has not been found")
}
