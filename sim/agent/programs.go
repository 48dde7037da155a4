package agent

import (
	"path"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/qgasim/qgasim/sim/vtime"
)

// The programs guest-exec can run. A few are built in, as on any Debian
// guest: true, false, echo, cat, sleep (in virtual time) and sh (dash, with
// a handful of builtins, see shell.go). Config.Programs adds the scenario's
// own, by path. A program runs to completion when it is started; its result
// shows once its run time has passed.

// runContext is what a program is started with.
type runContext struct {
	argv  []string // argv[0] is the path as given
	env   []string
	stdin []byte
}

// getenv returns a variable of the environment.
func (c *runContext) getenv(name string) string {
	for _, kv := range c.env {
		if k, v, ok := strings.Cut(kv, "="); ok && k == name {
			return v
		}
	}
	return ""
}

// runResult is how a program ended.
type runResult struct {
	runTime        int64 // virtual nanoseconds from start to exit
	exitCode       int
	signal         int // killed by this signal; exitCode is then unused
	stdout, stderr []byte
}

type program func(a *Agent, c *runContext) runResult

// agentEnv is the environment qemu-ga runs with as a systemd service, which
// a child inherits when guest-exec gives no env.
var agentEnv = []string{"PATH=" + agentPath}

// agentPath is systemd's default PATH, where a bare program name is looked
// for (GLib searches the agent's PATH, not the child's env).
const agentPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

// builtinProgram returns a program installed in /usr/bin (and in /bin
// through Debian's merged /usr). A switch, not a table: the shell runs
// programs, and a table holding the shell would refer to itself.
func builtinProgram(name string) (program, bool) {
	switch name {
	case "true":
		return func(*Agent, *runContext) runResult { return runResult{} }, true
	case "false":
		return func(*Agent, *runContext) runResult { return runResult{exitCode: 1} }, true
	case "echo":
		return progEcho, true
	case "cat":
		return progCat, true
	case "sleep":
		return progSleep, true
	case "sh", "dash":
		return progShell, true
	}
	return nil, false
}

// programAt returns the program installed at an absolute path.
func (a *Agent) programAt(p string) (program, bool) {
	if prog, ok := a.cfg.Programs[p]; ok {
		return configured(prog), true
	}
	dir, name := path.Split(p)
	if dir == "/usr/bin/" || dir == "/bin/" {
		return builtinProgram(name)
	}
	return nil, false
}

// lookProgram finds what guest-exec's path names: a path with a slash as it
// is (from "/"), a bare name in the agent's PATH. The error is the errno
// the spawn fails with: ENOENT for nothing there, EACCES for a file or a
// directory that is not a program.
func (a *Agent) lookProgram(name string) (program, error) {
	if name == "" {
		return nil, syscall.ENOENT
	}
	if strings.Contains(name, "/") {
		p := guestPath(name)
		if prog, ok := a.programAt(p); ok {
			return prog, nil
		}
		return nil, a.notProgram(p)
	}
	err := error(syscall.ENOENT)
	for _, dir := range strings.Split(agentPath, ":") {
		p := dir + "/" + name
		if prog, ok := a.programAt(p); ok {
			return prog, nil
		}
		if a.notProgram(p) == syscall.EACCES {
			err = syscall.EACCES
		}
	}
	return nil, err
}

// notProgram is the errno for running a path that is no program: EACCES if
// something is there (a file without the execute bit, a directory), else
// ENOENT.
func (a *Agent) notProgram(p string) error {
	f, err := a.guest.files().OpenFile(p, syscall.O_RDONLY, 0)
	if err != nil {
		return err
	}
	f.Close()
	return syscall.EACCES
}

// configured runs one of Config.Programs: a fixed result.
func configured(p Program) program {
	return func(*Agent, *runContext) runResult {
		return runResult{runTime: int64(p.RunTime), exitCode: p.ExitCode, signal: p.Signal,
			stdout: p.Stdout, stderr: p.Stderr}
	}
}

// progEcho is coreutils' echo: leading options -n (no newline), -e
// (backslash escapes) and -E, alone or together ("-ne"); anything else is
// printed.
func progEcho(_ *Agent, c *runContext) runResult {
	args := c.argv[1:]
	newline, escapes := true, false
	for len(args) > 0 && isEchoOption(args[0]) {
		for _, f := range args[0][1:] {
			switch f {
			case 'n':
				newline = false
			case 'e':
				escapes = true
			case 'E':
				escapes = false
			}
		}
		args = args[1:]
	}
	out := strings.Join(args, " ")
	if escapes {
		var stop bool
		out, stop = echoEscapes(out)
		if stop {
			newline = false
		}
	}
	if newline {
		out += "\n"
	}
	return runResult{stdout: []byte(out)}
}

func isEchoOption(s string) bool {
	if len(s) < 2 || s[0] != '-' {
		return false
	}
	return strings.Trim(s[1:], "neE") == ""
}

// echoEscapes interprets echo -e's escapes; \c stops the output.
func echoEscapes(s string) (string, bool) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' || i+1 == len(s) {
			b.WriteByte(s[i])
			continue
		}
		i++
		switch s[i] {
		case 'n':
			b.WriteByte('\n')
		case 't':
			b.WriteByte('\t')
		case 'r':
			b.WriteByte('\r')
		case 'a':
			b.WriteByte('\a')
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'v':
			b.WriteByte('\v')
		case 'e':
			b.WriteByte(0x1b)
		case '\\':
			b.WriteByte('\\')
		case 'c':
			return b.String(), true
		case '0':
			v, n := 0, 0
			for n < 3 && i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '7' {
				i++
				v = v*8 + int(s[i]-'0')
				n++
			}
			b.WriteByte(byte(v))
		default:
			b.WriteByte('\\')
			b.WriteByte(s[i])
		}
	}
	return b.String(), false
}

// progCat copies its files (or stdin, for none or "-") to stdout.
func progCat(a *Agent, c *runContext) runResult {
	var res runResult
	files := c.argv[1:]
	if len(files) == 0 {
		files = []string{"-"}
	}
	for _, f := range files {
		if f == "-" {
			res.stdout = append(res.stdout, c.stdin...)
			continue
		}
		b, err := a.guest.files().ReadFile(f)
		if err != nil {
			res.stderr = append(res.stderr, "cat: "+f+": "+errnoText(err)+"\n"...)
			res.exitCode = 1
			continue
		}
		res.stdout = append(res.stdout, b...)
	}
	return res
}

// progSleep waits, in virtual time, for the sum of its arguments: numbers
// of seconds with an optional unit (s, m, h, d).
func progSleep(_ *Agent, c *runContext) runResult {
	const try = "Try 'sleep --help' for more information.\n"
	if len(c.argv) < 2 {
		return runResult{exitCode: 1, stderr: []byte("sleep: missing operand\n" + try)}
	}
	var total time.Duration
	for _, arg := range c.argv[1:] {
		d, ok := sleepInterval(arg)
		if !ok {
			return runResult{exitCode: 1, stderr: []byte("sleep: invalid time interval '" + arg + "'\n" + try)}
		}
		total, _ = vtime.Sum(total, d) // saturates: a sleep past the end of time
	}
	return runResult{runTime: int64(total)}
}

func sleepInterval(s string) (time.Duration, bool) {
	unit := time.Second
	if s != "" {
		switch s[len(s)-1] {
		case 's':
			s = s[:len(s)-1]
		case 'm':
			unit, s = time.Minute, s[:len(s)-1]
		case 'h':
			unit, s = time.Hour, s[:len(s)-1]
		case 'd':
			unit, s = 24*time.Hour, s[:len(s)-1]
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < 0 || s == "" || strings.ContainsAny(s, "xXpPnNiI_") {
		return 0, false
	}
	const maxSleep = float64(100 * 365 * 24 * time.Hour) // longer than any run
	d := f * float64(unit)
	if d > maxSleep {
		d = maxSleep
	}
	return time.Duration(d), true
}
