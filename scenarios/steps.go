package scenarios

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"

	"github.com/qgasim/qgasim/sim"
	"github.com/qgasim/qgasim/sim/client"
	"github.com/qgasim/qgasim/sim/vtime"
)

// stepKeys are the keys of a step, in the order a written file has them:
// the action first, then what goes with send, then the note.
var stepKeys = []struct{ name, typ, doc string }{
	{"send", "command name", "the client runs the command for a caller; the step waits until the caller has an outcome"},
	{"arguments", "mapping, or JSON text as a string", "with send: the command's arguments (a string is sent as written, valid JSON or not)"},
	{"timeout", "duration, `forever` or `async`", "with send: how long the caller waits (default the client's)"},
	{"wait", "boolean", "with send: `false` lets the caller wait in a thread of its own while the program goes on at once, so that callers run concurrently on one connection (the client's lock decides how: libvirt queues them behind its agent job, the `none` client lets them interleave); default `true`"},
	{"raw", "bytes", "written on the channel as they are, past the client (a dead client's partial request, a 0xFF)"},
	{"sleep", "duration", "the host program waits"},
	{"disconnect", "`true`", "the host closes the channel"},
	{"reconnect", "`true`", "the host closes the channel and opens it again"},
	{"wait-all", "`true`", "the program waits until every caller it started (with `wait: false`) has its outcome"},
	{"stop-reading", "duration", "the host reads nothing from the channel for this long, and the program goes on at once: what the agent writes fills the transport (virtio-serial about 362 KB, isa-serial 278 bytes, a unix socket about 100 KB), then the agent's write blocks and it reads nothing either"},
	{"restart-client", "duration", "the host program restarts with the channel kept (libvirtd restarted): its waiting callers fail, its connection closes, and after this down time a fresh client of the same strategy, with none of the old one's state, opens the channel again; a reply still on its way reaches the new one"},
	{"note", "string, or a mapping of strategy names (and `any`) to strings", "shown by the report and the UI when the step is reached; a plain note is written for the scenario's strategy (`notes-for`), a mapping gives one note per client strategy, `any` for the others"},
}

func stepKeyNames() []string {
	names := make([]string, len(stepKeys))
	for i, k := range stepKeys {
		names[i] = k.name
	}
	return names
}

// readSteps reads the host program. Each step has exactly one action, and
// a note; a step may be only a note.
func readSteps(d *decoder, n ast.Node, path string, s *Scenario) {
	var slept time.Duration // the program's own time: the sum of its sleeps
	over := false
	for i, item := range d.list(n, path) {
		what := fmt.Sprintf("%s[%d]", path, i)
		d.mark(what, item)
		st, sleep := d.step(item, what)
		if st.Sleep != nil {
			sum, ok := vtime.Sum(slept, st.Sleep.D)
			if !ok && !over {
				over = true
				d.errf(sleep, "%s.sleep: %s after %s of sleeps goes past the last virtual time (%s)",
					what, fmtDuration(st.Sleep.D), fmtDuration(slept), time.Duration(vtime.Never))
				sum = time.Duration(vtime.Never)
			}
			slept = sum
		}
		s.Steps = append(s.Steps, st)
	}
}

// step reads one step; it returns the node of its duration (a sleep, a
// stop-reading, a restart-client), if any.
func (d *decoder) step(n ast.Node, what string) (st sim.Step, sleep ast.Node) {
	var send sim.Send
	var actions []string
	seen := map[string]ast.Node{}
	entries, _ := d.unique(d.entries(n, what), what)
	for _, mv := range entries {
		k, v := keyName(mv), mv.Value
		seen[k] = v
		path := what + "." + k
		switch k {
		case "send":
			actions = append(actions, k)
			if cmd, ok := d.str(v, path); ok {
				if strings.TrimSpace(cmd) == "" {
					d.errf(v, "%s needs a command name, e.g. guest-ping", path)
				}
				send.Execute = cmd
			}
			st.Send = &send
		case "raw":
			actions = append(actions, k)
			b, _ := d.byteString(v, path)
			if b == nil {
				b = []byte{}
			}
			st.Raw = &sim.Raw{Bytes: b}
		case "sleep":
			actions = append(actions, k)
			t, _ := d.duration(v, path)
			sleep = v
			st.Sleep = &sim.Sleep{D: t}
		case "disconnect":
			actions = append(actions, k)
			st.Disconnect = d.mustBeTrue(v, path)
		case "reconnect":
			actions = append(actions, k)
			st.Reconnect = d.mustBeTrue(v, path)
		case "wait-all":
			actions = append(actions, k)
			st.WaitAll = d.mustBeTrue(v, path)
		case "stop-reading":
			actions = append(actions, k)
			t, _ := d.duration(v, path)
			sleep = v
			st.StopReading = &sim.StopReading{D: t}
		case "restart-client":
			actions = append(actions, k)
			t, _ := d.duration(v, path)
			sleep = v
			st.RestartClient = &sim.RestartClient{Down: t}
		case "wait":
			if b, ok := d.boolean(v, path); ok {
				send.NoWait = !b
			}
		case "arguments":
			send.Arguments, _ = d.jsonText(v, path)
		case "timeout":
			send.Timeout, _ = d.timeout(v, path)
		case "note":
			st.Note, st.Notes = d.note(v, path)
		default:
			d.errf(mv.Key, "%s: unknown key %q (valid: %s)", what, k, oneOf(stepKeyNames()))
		}
	}
	switch {
	case len(actions) > 1:
		d.errf(n, "%s has %d actions (%s); give each its own step", what, len(actions), strings.Join(actions, ", "))
	case len(actions) == 0 && st.Note == "" && len(st.Notes) == 0:
		d.errf(n, "%s does nothing: give it one of send, raw, sleep, disconnect, reconnect, wait-all, stop-reading, restart-client (or just a note)", what)
	}
	if st.Send == nil {
		for _, k := range []string{"arguments", "timeout", "wait"} {
			if v, ok := seen[k]; ok {
				d.errf(v, "%s.%s only goes with send", what, k)
			}
		}
	}
	return st, sleep
}

// note reads a step's note: a string, or a mapping of strategy names
// (and any) to strings.
func (d *decoder) note(n ast.Node, path string) (string, map[string]string) {
	if _, ok := d.unwrap(n).(*ast.MappingNode); !ok {
		if _, ok := d.unwrap(n).(*ast.MappingValueNode); !ok {
			s, _ := d.str(n, path)
			return s, nil
		}
	}
	valid := append(client.Names(), sim.AnyStrategy)
	notes := map[string]string{}
	for _, mv := range d.entries(n, path) {
		k := keyName(mv)
		if !contains(valid, k) {
			d.errf(mv.Key, "%s: %q is not a client strategy (valid: %s)", path, k, oneOf(valid))
			continue
		}
		if _, dup := notes[k]; dup {
			d.errf(mv.Key, "%s: the note for %q is given twice", path, k)
			continue
		}
		notes[k], _ = d.str(mv.Value, path+"."+k)
	}
	return "", notes
}

// mustBeTrue reads an action flag that only makes sense as true.
func (d *decoder) mustBeTrue(n ast.Node, what string) bool {
	b, ok := d.boolean(n, what)
	if ok && !b {
		d.errf(n, "%s: false does nothing; leave the step out", what)
	}
	return ok && b
}

func writeSteps(s *Scenario) (*ynode, bool) { return nodeList(s.Steps, stepNode) }

func stepNode(st sim.Step) *ynode {
	m := mapNode()
	switch {
	case st.Send != nil:
		m.add("send", strNode(st.Send.Execute))
		if st.Send.Arguments != "" {
			m.add("arguments", argumentsNode(st.Send.Arguments))
		}
		if st.Send.Timeout != 0 {
			m.add("timeout", timeoutCodec.write(st.Send.Timeout))
		}
		if st.Send.NoWait {
			m.add("wait", scalarNode("false"))
		}
	case st.Raw != nil:
		m.add("raw", scalarNode(byteScalar(st.Raw.Bytes)))
	case st.Sleep != nil:
		m.add("sleep", scalarNode(fmtDuration(st.Sleep.D)))
	case st.Disconnect:
		m.add("disconnect", scalarNode("true"))
	case st.Reconnect:
		m.add("reconnect", scalarNode("true"))
	case st.WaitAll:
		m.add("wait-all", scalarNode("true"))
	case st.StopReading != nil:
		m.add("stop-reading", scalarNode(fmtDuration(st.StopReading.D)))
	case st.RestartClient != nil:
		m.add("restart-client", scalarNode(fmtDuration(st.RestartClient.Down)))
	}
	switch {
	case len(st.Notes) > 0:
		n := mapNode()
		if st.Note != "" {
			// A plain note beside the mapping (a program built it): it is
			// for every strategy not named, as far as a file can say.
			n.add(sim.AnyStrategy, text(st.Note))
		}
		for _, k := range sortedKeys(st.Notes) {
			if k == sim.AnyStrategy && st.Note != "" {
				continue
			}
			n.add(k, text(st.Notes[k]))
		}
		m.add("note", n)
	case st.Note != "" || len(m.keys) == 0:
		m.add("note", text(st.Note))
	}
	return m
}

// argumentsNode writes JSON text as a YAML flow mapping when the loader
// reads that back as the same text ({"id":5} as {id: 5}); otherwise (text
// that is not JSON, or not in the loader's compact form) as a string,
// which the loader takes as written.
func argumentsNode(js string) *ynode {
	if n, ok := jsonNode(js); ok {
		n.flow = true
		src := "a: " + flowText(n) + "\n"
		if f, err := parser.ParseBytes([]byte(src), 0); err == nil && len(f.Docs) == 1 {
			d := newDecoder("", []byte(src))
			if e := d.entries(f.Docs[0].Body, "a"); len(e) == 1 {
				if back, ok := d.jsonText(e[0].Value, "a"); ok && len(d.probs) == 0 && back == js {
					return n
				}
			}
		}
	}
	return strNode(js)
}

// jsonNode turns JSON text into a node, keeping the order of keys.
func jsonNode(js string) (*ynode, bool) {
	dec := json.NewDecoder(strings.NewReader(js))
	dec.UseNumber()
	n, ok := jsonValue(dec, 0)
	if !ok {
		return nil, false
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, false
	}
	return n, true
}

func jsonValue(dec *json.Decoder, depth int) (*ynode, bool) {
	if depth > maxDepth {
		return nil, false
	}
	tok, err := dec.Token()
	if err != nil {
		return nil, false
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			m := mapNode()
			m.flow = true
			for dec.More() {
				k, err := dec.Token()
				ks, isStr := k.(string)
				if err != nil || !isStr {
					return nil, false
				}
				v, ok := jsonValue(dec, depth+1)
				if !ok {
					return nil, false
				}
				m.add(ks, v)
			}
			_, err := dec.Token()
			return m, err == nil
		case '[':
			l := listNode()
			l.flow = true
			for dec.More() {
				v, ok := jsonValue(dec, depth+1)
				if !ok {
					return nil, false
				}
				l.items = append(l.items, v)
			}
			_, err := dec.Token()
			return l, err == nil
		}
	case string:
		return strNode(t), true
	case json.Number:
		return scalarNode(t.String()), true
	case bool:
		return scalarNode(fmt.Sprint(t)), true
	case nil:
		return scalarNode("null"), true
	}
	return nil, false
}

func stepsSchema() jsonObj {
	props := jsonObj{}
	for _, k := range stepKeys {
		var o jsonObj
		switch k.name {
		case "send":
			o = jsonObj{}.set("type", "string")
		case "note":
			names := append(client.Names(), sim.AnyStrategy)
			byName := jsonObj{}
			for _, n := range names {
				byName = byName.set(n, jsonObj{}.set("type", "string"))
			}
			o = jsonObj{}.set("oneOf", []jsonObj{jsonObj{}.set("type", "string"),
				jsonObj{}.set("type", "object").set("additionalProperties", false).set("properties", byName)})
		case "arguments":
			o = jsonObj{}.set("type", []string{"object", "string"})
		case "timeout":
			o = ref("timeout")
		case "raw":
			o = ref("bytes")
		case "sleep", "stop-reading", "restart-client":
			o = ref("duration")
		case "disconnect", "reconnect", "wait-all":
			o = jsonObj{}.set("const", true)
		case "wait":
			o = jsonObj{}.set("type", "boolean")
		}
		props = props.set(k.name, o.set("description", plainDoc(k.doc)+"."))
	}
	return jsonObj{}.set("type", "array").set("items", jsonObj{}.set("type", "object").set("additionalProperties", false).set("properties", props))
}
