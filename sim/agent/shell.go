package agent

import (
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/qgasim/qgasim/sim/vtime"
)

// progShell is a small /bin/sh (dash) for guest-exec: `sh -c SCRIPT [NAME
// ARG...]`, `sh FILE`, or the script on stdin. It knows simple commands
// separated by ';', newlines, '&&', '||' and '|'; single and double quotes;
// $NAME, ${NAME}, $?, $0-$9 and $#; redirections > >> < 2> 2>> >&2 2>&1;
// comments; the builtins echo, printf-less dash echo (escapes always on,
// -n), true, false, :, exit, pwd, cd. Other commands are the guest's
// programs. What it does not know fails as dash reports a syntax error.
func progShell(a *Agent, c *runContext) runResult {
	args := c.argv[1:]
	var script string
	pos := []string{"sh"}
	switch {
	case len(args) > 0 && args[0] == "-c":
		if len(args) < 2 {
			return runResult{exitCode: 2, stderr: []byte("sh: 0: -c requires an argument\n")}
		}
		script = args[1]
		if len(args) > 2 {
			pos = args[2:]
		}
	case len(args) > 0:
		b, err := a.guest.files().ReadFile(args[0])
		if err != nil {
			return runResult{exitCode: 2, stderr: []byte("sh: 0: cannot open " + args[0] + ": No such file\n")}
		}
		script, pos = string(b), args
	default:
		script = string(c.stdin)
	}
	sh := &shell{a: a, env: c.env, pos: pos}
	if len(args) > 0 {
		sh.stdin = c.stdin
	}
	sh.run(script)
	return sh.res
}

type shell struct {
	a      *Agent
	env    []string
	pos    []string // $0, $1, ...
	stdin  []byte   // the script's stdin (empty when the script came on stdin)
	status int      // $?
	exited bool
	res    runResult
}

// token is a word, raw (quotes and parameters still in it: they are
// expanded when its command runs, so that $? is the status at that time),
// or an operator.
type token struct {
	word string
	op   string // ";", "&&", "||", "|", ">", ">>", "<", "2>", "2>>", ">&2", "2>&1"
}

// lex splits a script into tokens. ok is false on an unterminated quote.
func lex(s string) ([]token, bool) {
	var toks []token
	start := -1 // where the current word began
	flush := func(i int) {
		if start >= 0 {
			toks = append(toks, token{word: s[start:i]})
			start = -1
		}
	}
	for i := 0; i < len(s); i++ {
		ch := s[i]
		switch {
		case ch == ' ' || ch == '\t':
			flush(i)
		case ch == '\n' || ch == ';':
			flush(i)
			toks = append(toks, token{op: ";"})
		case ch == '#' && start < 0:
			for i < len(s) && s[i] != '\n' {
				i++
			}
			i--
		case ch == '&' && i+1 < len(s) && s[i+1] == '&':
			flush(i)
			toks = append(toks, token{op: "&&"})
			i++
		case ch == '|':
			flush(i)
			if i+1 < len(s) && s[i+1] == '|' {
				toks = append(toks, token{op: "||"})
				i++
			} else {
				toks = append(toks, token{op: "|"})
			}
		case ch == '>' || ch == '<' || (ch == '2' || ch == '1') && start < 0 && i+1 < len(s) && s[i+1] == '>':
			flush(i)
			op, n := redirection(s[i:])
			toks = append(toks, token{op: op})
			i += n - 1
		case ch == '\'':
			if start < 0 {
				start = i
			}
			j := strings.IndexByte(s[i+1:], '\'')
			if j < 0 {
				return nil, false
			}
			i += j + 1
		case ch == '"':
			if start < 0 {
				start = i
			}
			for i++; i < len(s) && s[i] != '"'; i++ {
				if s[i] == '\\' {
					i++
				}
			}
			if i >= len(s) {
				return nil, false
			}
		case ch == '\\':
			if start < 0 {
				start = i
			}
			i++
		default:
			if start < 0 {
				start = i
			}
		}
	}
	flush(len(s))
	return toks, true
}

// expand removes a raw word's quotes and expands its parameters.
func (sh *shell) expand(s string) string {
	var word strings.Builder
	for i := 0; i < len(s); i++ {
		switch ch := s[i]; {
		case ch == '\'':
			j := strings.IndexByte(s[i+1:], '\'')
			word.WriteString(s[i+1 : i+1+j])
			i += j + 1
		case ch == '"':
			for i++; i < len(s) && s[i] != '"'; i++ {
				if s[i] == '\\' && i+1 < len(s) && strings.IndexByte("$`\"\\\n", s[i+1]) >= 0 {
					i++
					word.WriteByte(s[i])
				} else if s[i] == '$' {
					v, n := sh.param(s[i+1:])
					word.WriteString(v)
					i += n
				} else {
					word.WriteByte(s[i])
				}
			}
		case ch == '\\' && i+1 < len(s):
			i++
			if s[i] != '\n' {
				word.WriteByte(s[i])
			}
		case ch == '$':
			v, n := sh.param(s[i+1:])
			word.WriteString(v)
			i += n
		default:
			word.WriteByte(ch)
		}
	}
	return word.String()
}

// redirection reads the redirection operator at the start of s and how
// many bytes it takes.
func redirection(s string) (string, int) {
	for _, op := range []string{"2>&1", "1>&2", ">&2", "2>>", "1>>", "2>", "1>", ">>", ">", "<"} {
		if strings.HasPrefix(s, op) {
			switch op {
			case "1>&2":
				return ">&2", 4
			case "1>>":
				return ">>", 3
			case "1>":
				return ">", 2
			}
			return op, len(op)
		}
	}
	return s[:1], 1
}

// param expands the parameter after a '$' and says how many bytes it took.
func (sh *shell) param(s string) (string, int) {
	if s == "" {
		return "$", 0
	}
	switch c := s[0]; {
	case c == '?':
		return strconv.Itoa(sh.status), 1
	case c == '#':
		return strconv.Itoa(len(sh.pos) - 1), 1
	case c >= '0' && c <= '9':
		if n := int(c - '0'); n < len(sh.pos) {
			return sh.pos[n], 1
		}
		return "", 1
	case c == '{':
		end := strings.IndexByte(s, '}')
		if end < 0 {
			return "${", 1
		}
		return sh.getenv(s[1:end]), end + 1
	case c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
		n := 1
		for n < len(s) && (s[n] == '_' || s[n] >= 'a' && s[n] <= 'z' || s[n] >= 'A' && s[n] <= 'Z' || s[n] >= '0' && s[n] <= '9') {
			n++
		}
		return sh.getenv(s[:n]), n
	}
	return "$", 0
}

func (sh *shell) getenv(name string) string {
	return (&runContext{env: sh.env}).getenv(name)
}

func (sh *shell) fail(msg string, code int) {
	sh.res.stderr = append(sh.res.stderr, "sh: 1: "+msg+"\n"...)
	sh.status, sh.res.exitCode, sh.exited = code, code, true
}

// run runs a script: lists of pipelines joined by ';', '&&' and '||'.
func (sh *shell) run(script string) {
	toks, ok := lex(script)
	if !ok {
		sh.fail("Syntax error: Unterminated quoted string", 2)
		return
	}
	var pipeline [][]token
	var cmd []token
	skip := false // the previous && or || decided this pipeline does not run
	end := func(op string) bool {
		if len(cmd) == 0 && (op == "|" || op == "&&" || op == "||" || len(pipeline) > 0) {
			sh.fail("Syntax error: \""+op+"\" unexpected", 2)
			return false
		}
		if len(cmd) > 0 {
			pipeline = append(pipeline, cmd)
			cmd = nil
		}
		if op == "|" {
			return true
		}
		if len(pipeline) > 0 && !skip {
			sh.pipeline(pipeline)
		}
		pipeline = nil
		switch op {
		case "&&":
			skip = sh.status != 0
		case "||":
			skip = sh.status == 0
		default:
			skip = false
		}
		return !sh.exited
	}
	for _, t := range toks {
		if t.op == ";" || t.op == "&&" || t.op == "||" || t.op == "|" {
			if !end(t.op) {
				return
			}
			continue
		}
		cmd = append(cmd, t)
	}
	if len(cmd) > 0 || len(pipeline) > 0 {
		end(";")
	}
	if !sh.exited {
		sh.res.exitCode = sh.status
	}
}

// pipeline runs commands with each one's stdout the next one's stdin. They
// run side by side, so the pipeline takes as long as its longest command.
func (sh *shell) pipeline(cmds [][]token) {
	in := sh.stdin
	var longest int64
	for i, c := range cmds {
		out, runTime := sh.command(c, in)
		longest = max(longest, runTime)
		if i < len(cmds)-1 {
			in = out
		} else {
			sh.res.stdout = append(sh.res.stdout, out...)
		}
		if sh.exited {
			break
		}
	}
	sh.res.runTime = vtime.Add(sh.res.runTime, time.Duration(longest))
}

// command runs one simple command with its redirections and returns what it
// wrote to its stdout (that did not go elsewhere) and its run time.
func (sh *shell) command(toks []token, stdin []byte) ([]byte, int64) {
	var words []string
	type redir struct{ op, target string }
	var redirs []redir
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		switch t.op {
		case "":
			words = append(words, sh.expand(t.word))
		case ">&2", "2>&1":
			redirs = append(redirs, redir{op: t.op})
		default:
			if i+1 >= len(toks) || toks[i+1].op != "" {
				sh.fail("Syntax error: newline unexpected", 2)
				return nil, 0
			}
			redirs = append(redirs, redir{t.op, sh.expand(toks[i+1].word)})
			i++
		}
	}
	for _, r := range redirs {
		if r.op == "<" {
			b, err := sh.a.guest.files().ReadFile(r.target)
			if err != nil {
				sh.fail("cannot open "+r.target+": No such file", 2)
				return nil, 0
			}
			stdin = b
		}
	}
	if len(words) == 0 {
		return nil, 0
	}
	res := sh.exec(words, stdin)
	out, errs := res.stdout, res.stderr
	for _, r := range redirs {
		switch r.op {
		case ">&2":
			errs, out = append(errs, out...), nil
		case "2>&1":
			out, errs = append(out, errs...), nil
		case ">", ">>", "2>", "2>>":
			data := &out
			if r.op[0] == '2' {
				data = &errs
			}
			if r.target != "/dev/null" && !sh.writeFile(r.target, *data, strings.HasSuffix(r.op, ">>")) {
				return nil, res.runTime
			}
			*data = nil
		}
	}
	sh.res.stderr = append(sh.res.stderr, errs...)
	if res.signal != 0 {
		sh.status = 128 + res.signal
	} else {
		sh.status = res.exitCode
	}
	return out, res.runTime
}

func (sh *shell) writeFile(name string, data []byte, appendTo bool) bool {
	flag := os.O_WRONLY | os.O_CREATE | os.O_TRUNC
	if appendTo {
		flag = os.O_WRONLY | os.O_CREATE | os.O_APPEND
	}
	f, err := sh.a.guest.files().OpenFile(name, flag, 0o666)
	if err == nil {
		_, err = f.Write(data)
		f.Close()
	}
	if err != nil {
		sh.fail("cannot create "+name+": "+errnoText(err), 2)
		return false
	}
	return true
}

// exec runs a builtin or a program.
func (sh *shell) exec(words []string, stdin []byte) runResult {
	switch words[0] {
	case "true", ":":
		return runResult{}
	case "false":
		return runResult{exitCode: 1}
	case "pwd":
		return runResult{stdout: []byte("/\n")}
	case "cd":
		return runResult{}
	case "echo":
		return shellEcho(words[1:])
	case "exit":
		code := sh.status
		if len(words) > 1 {
			n, err := strconv.Atoi(words[1])
			if err != nil || n < 0 {
				sh.fail("exit: Illegal number: "+words[1], 2)
				return runResult{exitCode: 2}
			}
			code = n & 0xff
		}
		sh.status, sh.res.exitCode, sh.exited = code, code, true
		return runResult{exitCode: code}
	}
	prog, err := sh.a.lookProgram(words[0])
	if err != nil {
		if err == syscall.EACCES {
			return runResult{exitCode: 126, stderr: []byte("sh: 1: " + words[0] + ": Permission denied\n")}
		}
		return runResult{exitCode: 127, stderr: []byte("sh: 1: " + words[0] + ": not found\n")}
	}
	return prog(sh.a, &runContext{argv: words, env: sh.env, stdin: stdin})
}

// shellEcho is dash's echo: -n first drops the newline, escapes are always
// interpreted.
func shellEcho(args []string) runResult {
	newline := true
	if len(args) > 0 && args[0] == "-n" {
		newline, args = false, args[1:]
	}
	out, stop := echoEscapes(strings.Join(args, " "))
	if newline && !stop {
		out += "\n"
	}
	return runResult{stdout: []byte(out)}
}
