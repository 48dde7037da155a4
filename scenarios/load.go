package scenarios

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"os"
	"strings"
	"time"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"

	"github.com/qgasim/qgasim/sim/agent"
	"github.com/qgasim/qgasim/sim/check"
	"github.com/qgasim/qgasim/sim/client"
)

// Defaults of a scenario.
const (
	DefaultDuration  = 30 * time.Second
	DefaultTransport = "virtio-serial"
	DefaultStrategy  = "delimited"
)

// Transports are the transport names a scenario may use.
var Transports = []string{"virtio-serial", "isa-serial", "unix-socket"}

// Load reads and checks a scenario file. A bad file gives Problems, every
// problem in it with file:line:column.
func Load(path string) (*Scenario, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(path, data)
}

// Parse checks a scenario given as bytes; name is used in messages.
func Parse(name string, data []byte) (sc *Scenario, err error) {
	defer func() {
		// The YAML library is third-party code: whatever it does with hostile
		// input, a bad file is a problem report, never a crash.
		if r := recover(); r != nil {
			sc, err = nil, Problems{{File: name, Msg: fmt.Sprintf("cannot read this file as YAML (%v)", r)}}
		}
	}()
	// A UTF-8 byte order mark is not part of the first key.
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	file, perr := parser.ParseBytes(data, 0)
	if perr != nil {
		return nil, Problems{syntaxProblem(name, perr)}
	}
	d := &decoder{file: name, src: data}
	var body ast.Node
	for _, doc := range file.Docs {
		if doc.Body == nil {
			continue
		}
		if _, isDirective := doc.Body.(*ast.DirectiveNode); isDirective {
			continue // %YAML 1.2 and the like
		}
		if body != nil {
			d.errf(doc.Body, "a scenario file holds one YAML document; this is a second one")
			continue
		}
		body = doc.Body
	}
	if body == nil {
		return nil, Problems{{File: name, Msg: "the file is empty; a scenario needs at least version, name and steps"}}
	}
	sc = d.scenario(body)
	if len(d.probs) > 0 {
		return nil, d.probs.sorted()
	}
	sc.File = name
	return sc, nil
}

// syntaxProblem turns a YAML syntax error into a Problem with its position.
func syntaxProblem(name string, err error) Problem {
	var se *yaml.SyntaxError
	if errors.As(err, &se) && se.Token != nil && se.Token.Position != nil {
		return Problem{File: name, Line: se.Token.Position.Line, Col: se.Token.Position.Column,
			Msg: "YAML syntax: " + se.Message}
	}
	msg := err.Error()
	if i := strings.IndexByte(msg, '\n'); i > 0 {
		msg = msg[:i]
	}
	return Problem{File: name, Msg: "YAML syntax: " + msg}
}

func (d *decoder) scenario(n ast.Node) *Scenario {
	sc := &Scenario{Duration: DefaultDuration, Transport: DefaultTransport, Seed: 1}
	sc.Client.Strategy = DefaultStrategy
	var version int64
	versionOK := false
	seen := d.fields(n, "scenario", map[string]func(ast.Node){
		"version": func(v ast.Node) { version, versionOK = d.integer(v, "version", 0, math.MaxInt32) },
		"name": func(v ast.Node) {
			if name, ok := d.str(v, "name"); ok {
				if strings.TrimSpace(name) == "" {
					d.errf(v, "name must not be empty")
				}
				sc.Name = name
			}
		},
		"description": func(v ast.Node) { sc.Description, _ = d.str(v, "description") },
		"seed":        func(v ast.Node) { sc.Seed, _ = d.uint64Value(v, "seed") },
		"duration": func(v ast.Node) {
			if t, ok := d.duration(v, "duration"); ok {
				if t == 0 {
					d.errf(v, "duration must be more than 0")
				}
				sc.Duration = t
			}
		},
		"transport": func(v ast.Node) { sc.Transport, _ = d.enum(v, "transport", Transports) },
		"agent":     func(v ast.Node) { d.agent(v, &sc.Agent) },
		"client":    func(v ast.Node) { d.client(v, &sc.Client) },
		"link":      func(v ast.Node) { d.link(v, &sc.Link) },
		"faults": func(v ast.Node) {
			for i, e := range d.list(v, "faults") {
				sc.Faults = append(sc.Faults, d.fault(e, fmt.Sprintf("faults[%d]", i)))
			}
		},
		"steps": func(v ast.Node) {
			for i, e := range d.list(v, "steps") {
				sc.Steps = append(sc.Steps, d.step(e, fmt.Sprintf("steps[%d]", i)))
			}
		},
		"expect": func(v ast.Node) { d.expect(v, &sc.Expect) },
	})
	if _, ok := seen["version"]; !ok {
		d.errf(n, "the scenario has no version: add 'version: %d' at the top", Version)
	} else if versionOK && version != Version {
		d.errf(seen["version"], "version %d is not supported (this qgasim reads version %d)", version, Version)
	}
	if _, ok := seen["name"]; !ok {
		d.errf(n, "the scenario has no name: add 'name: a-short-name'")
	}
	sends := 0
	for _, st := range sc.Steps {
		if st.Send != "" {
			sends++
		}
	}
	for i, r := range sc.Expect.Requests {
		if r.Request > sends {
			d.probs = append(d.probs, Problem{File: d.file, Line: r.Line, Col: r.Col,
				Msg: fmt.Sprintf("expect.requests[%d]: request %d, but the steps send only %d (requests are numbered by send step, from 1)", i, r.Request, sends)})
		}
	}
	return sc
}

func (d *decoder) agent(n ast.Node, a *AgentSpec) {
	d.fields(n, "agent", map[string]func(ast.Node){
		"version": func(v ast.Node) { a.Version, _ = d.str(v, "agent.version") },
		"blocked": func(v ast.Node) {
			for i, e := range d.list(v, "agent.blocked") {
				if s, ok := d.str(e, fmt.Sprintf("agent.blocked[%d]", i)); ok {
					a.Blocked = append(a.Blocked, s)
				}
			}
		},
		"latency": func(v ast.Node) {
			a.Latency = map[string]time.Duration{}
			for _, mv := range d.entries(v, "agent.latency") {
				if t, ok := d.duration(mv.Value, "agent.latency."+keyName(mv)); ok {
					a.Latency[keyName(mv)] = t
				}
			}
		},
		"host-name": func(v ast.Node) { a.HostName, _ = d.str(v, "agent.host-name") },
		"os": func(v ast.Node) {
			o := &a.OS
			str := func(dst *string, key string) func(ast.Node) {
				return func(v ast.Node) { *dst, _ = d.str(v, "agent.os."+key) }
			}
			d.fields(v, "agent.os", map[string]func(ast.Node){
				"name": str(&o.Name, "name"), "pretty-name": str(&o.PrettyName, "pretty-name"),
				"version": str(&o.Version, "version"), "version-id": str(&o.VersionID, "version-id"),
				"id": str(&o.ID, "id"), "kernel-release": str(&o.KernelRelease, "kernel-release"),
				"kernel-version": str(&o.KernelVersion, "kernel-version"), "machine": str(&o.Machine, "machine"),
			})
		},
		"files": func(v ast.Node) {
			a.Files = map[string][]byte{}
			for _, mv := range d.entries(v, "agent.files") {
				if b, ok := d.byteString(mv.Value, "agent.files."+keyName(mv)); ok {
					a.Files[keyName(mv)] = b
				}
			}
		},
		"programs": func(v ast.Node) {
			a.Programs = map[string]agent.Program{}
			for _, mv := range d.entries(v, "agent.programs") {
				var p agent.Program
				what := "agent.programs." + keyName(mv)
				d.fields(mv.Value, what, map[string]func(ast.Node){
					"run-time":  func(v ast.Node) { p.RunTime, _ = d.duration(v, what+".run-time") },
					"exit-code": func(v ast.Node) { e, _ := d.integer(v, what+".exit-code", 0, 255); p.ExitCode = int(e) },
					"stdout":    func(v ast.Node) { p.Stdout, _ = d.byteString(v, what+".stdout") },
					"stderr":    func(v ast.Node) { p.Stderr, _ = d.byteString(v, what+".stderr") },
				})
				a.Programs[keyName(mv)] = p
			}
		},
		"filesystems": func(v ast.Node) { f, _ := d.integer(v, "agent.filesystems", 1, 1000); a.Filesystems = int(f) },
		"frozen":      func(v ast.Node) { a.Frozen, _ = d.boolean(v, "agent.frozen") },
	})
}

func (d *decoder) client(n ast.Node, c *ClientSpec) {
	o := &c.Options
	d.fields(n, "client", map[string]func(ast.Node){
		"strategy":     func(v ast.Node) { c.Strategy, _ = d.enum(v, "client.strategy", client.Names()) },
		"timeout":      func(v ast.Node) { o.Timeout, _ = d.timeout(v, "client.timeout") },
		"sync-timeout": func(v ast.Node) { o.SyncTimeout, _ = d.duration(v, "client.sync-timeout") },
		"pid":          func(v ast.Node) { p, _ := d.integer(v, "client.pid", 1, 4194304); o.PID = int(p) },
		"vmid":         func(v ast.Node) { n, _ := d.integer(v, "client.vmid", 1, 999999999); o.VMID = int(n) },
		"max-line":     func(v ast.Node) { n, _ := d.integer(v, "client.max-line", 1, 1<<40); o.MaxLine = int(n) },
		"sync-id":      func(v ast.Node) { n, _ := d.integer(v, "client.sync-id", 1, math.MaxInt32); o.SyncID = int(n) },
		"flush-byte":   func(v ast.Node) { b, _ := d.integer(v, "client.flush-byte", 1, 255); o.FlushByte = byte(b) },
		"sync-once":    func(v ast.Node) { o.SyncOnce, _ = d.boolean(v, "client.sync-once") },
	})
}

func (d *decoder) dirSpec(n ast.Node, what string, ds *DirSpec) {
	d.fields(n, what, d.dirHandlers(what, ds))
}

func (d *decoder) dirHandlers(what string, ds *DirSpec) map[string]func(ast.Node) {
	return map[string]func(ast.Node){
		"latency":  func(v ast.Node) { ds.Latency, _ = d.duration(v, what+".latency") },
		"jitter":   func(v ast.Node) { ds.Jitter, _ = d.duration(v, what+".jitter") },
		"baud":     func(v ast.Node) { b, _ := d.integer(v, what+".baud", 50, 1e9); ds.Baud = int(b) },
		"read-max": func(v ast.Node) { r, _ := d.integer(v, what+".read-max", 1, 1<<30); ds.ReadMax = int(r) },
		"capacity": func(v ast.Node) { c, _ := d.integer(v, what+".capacity", 1, 1<<40); ds.Capacity = int(c) },
	}
}

// link reads either the parameters of both directions at once or
// to-agent/to-host sections.
func (d *decoder) link(n ast.Node, l *LinkSpec) {
	var both DirSpec
	h := d.dirHandlers("link", &both)
	var toAgent, toHost ast.Node
	h["to-agent"] = func(v ast.Node) { toAgent = v }
	h["to-host"] = func(v ast.Node) { toHost = v }
	d.fields(n, "link", h)
	l.ToAgent, l.ToHost = both, both
	if toAgent != nil {
		d.dirSpec(toAgent, "link.to-agent", &l.ToAgent)
	}
	if toHost != nil {
		d.dirSpec(toHost, "link.to-host", &l.ToHost)
	}
}

func (d *decoder) step(n ast.Node, what string) StepSpec {
	s := StepSpec{}
	s.Line, _ = position(n)
	var actions []string
	act := func(name string, f func(ast.Node)) func(ast.Node) {
		return func(v ast.Node) { actions = append(actions, name); f(v) }
	}
	seen := d.fields(n, what, map[string]func(ast.Node){
		"send": act("send", func(v ast.Node) {
			if cmd, ok := d.str(v, what+".send"); ok {
				if cmd == "" {
					d.errf(v, "%s.send needs a command name, e.g. guest-ping", what)
				}
				s.Send = cmd
			}
		}),
		"raw":        act("raw", func(v ast.Node) { s.Raw, _ = d.byteString(v, what+".raw") }),
		"sleep":      act("sleep", func(v ast.Node) { s.Sleep, _ = d.duration(v, what+".sleep") }),
		"disconnect": act("disconnect", func(v ast.Node) { s.Disconnect = d.mustBeTrue(v, what+".disconnect") }),
		"reconnect":  act("reconnect", func(v ast.Node) { s.Reconnect = d.mustBeTrue(v, what+".reconnect") }),
		"arguments":  func(v ast.Node) { s.Arguments, _ = d.jsonText(v, what+".arguments") },
		"timeout":    func(v ast.Node) { s.Timeout, _ = d.timeout(v, what+".timeout") },
		"note":       func(v ast.Node) { s.Note, _ = d.str(v, what+".note") },
	})
	switch {
	case len(actions) > 1:
		d.errf(n, "%s has %d actions (%s); give each its own step", what, len(actions), strings.Join(actions, ", "))
	case len(actions) == 0 && s.Note == "":
		d.errf(n, "%s does nothing: give it one of send, raw, sleep, disconnect, reconnect (or just a note)", what)
	}
	if s.Send == "" {
		for _, k := range []string{"arguments", "timeout"} {
			if v, ok := seen[k]; ok {
				d.errf(v, "%s.%s only goes with send", what, k)
			}
		}
	}
	return s
}

func (d *decoder) expect(n ast.Node, e *Expect) {
	count := func(dst **int, key string) func(ast.Node) {
		return func(v ast.Node) {
			if c, ok := d.integer(v, "expect."+key, 0, math.MaxInt32); ok {
				x := int(c)
				*dst = &x
			}
		}
	}
	verdicts := make([]string, len(check.Verdicts))
	for i, v := range check.Verdicts {
		verdicts[i] = string(v)
	}
	d.fields(n, "expect", map[string]func(ast.Node){
		"all-answered": func(v ast.Node) {
			if b, ok := d.boolean(v, "expect.all-answered"); ok {
				e.AllAnswered = &b
			}
		},
		"correct":         count(&e.Correct, "correct"),
		"misattributed":   count(&e.Misattributed, "misattributed"),
		"lost":            count(&e.Lost, "lost"),
		"hung":            count(&e.Hung, "hung"),
		"timed-out":       count(&e.TimedOut, "timed-out"),
		"failed":          count(&e.Failed, "failed"),
		"dropped-replies": count(&e.Dropped, "dropped-replies"),
		"max-resync": func(v ast.Node) {
			if t, ok := d.duration(v, "expect.max-resync"); ok {
				e.MaxResync = &t
			}
		},
		"requests": func(v ast.Node) {
			for i, item := range d.list(v, "expect.requests") {
				what := fmt.Sprintf("expect.requests[%d]", i)
				r := RequestExpect{}
				r.Line, r.Col = position(item)
				seen := d.fields(item, what, map[string]func(ast.Node){
					"request": func(v ast.Node) {
						x, _ := d.integer(v, what+".request", 1, math.MaxInt32)
						r.Request = int(x)
					},
					"verdict":  func(v ast.Node) { r.Verdict, _ = d.enum(v, what+".verdict", verdicts) },
					"outcome":  func(v ast.Node) { r.Outcome, _ = d.enum(v, what+".outcome", outcomeNames) },
					"class":    func(v ast.Node) { r.Class, _ = d.str(v, what+".class") },
					"contains": func(v ast.Node) { r.Contains, _ = d.str(v, what+".contains") },
				})
				if _, ok := seen["request"]; !ok {
					d.errf(item, "%s needs request: the number of the send step (1 for the first send)", what)
				}
				e.Requests = append(e.Requests, r)
			}
		},
	})
}

var outcomeNames = []string{"returned", "error", "timed out", "failed"}
