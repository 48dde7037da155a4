package scenarios

import (
	"math"
	"strings"
	"time"

	"github.com/goccy/go-yaml/ast"

	"github.com/qgasim/qgasim/sim/agent"
	"github.com/qgasim/qgasim/sim/check"
	"github.com/qgasim/qgasim/sim/client"
	"github.com/qgasim/qgasim/sim/link"
)

// The sections of the format, each a table of keys in the order a written
// file has them. To add a key: add the field to the model (for the agent,
// agent.Config), and one line to its section here; the loader, the writer,
// the JSON Schema and the docs' table follow. See doc.go.

// Defaults of a scenario.
const (
	DefaultDuration  = 30 * time.Second
	DefaultTransport = link.VirtioSerial
	DefaultStrategy  = "delimited"
)

// Transports are the transport names a scenario may use: sim/link's, the
// default first.
var Transports = link.Transports

// topSection is the top level of a file. version, faults, steps and link
// read and write themselves.
var topSection = section[Scenario]{
	custom("version", "integer", "required", "the format version: `1`", readVersion,
		func(*Scenario) (*ynode, bool) { return scalarNode("1"), true },
		func() jsonObj { return jsonObj{}.set("const", Version) }),
	fieldAlways("name", nameCodec, func(s *Scenario) *string { return &s.Name }, "required", "a short name for the report and the UI"),
	field("description", strCodec, func(s *Scenario) *string { return &s.Description }, "",
		"what the scenario teaches or reproduces; for a field bug, its source address"),
	fieldAlways("seed", seedCodec, func(s *Scenario) *uint64 { return &s.Seed }, "`1`", "the seed of every random choice; `--seed N` overrides it"),
	fieldAlways("duration", positiveDur, func(s *Scenario) *time.Duration { return &s.Duration }, "`30s`",
		"how much virtual time the run may take"),
	fieldAlways("transport", enumCodec(func() []string { return Transports }), func(s *Scenario) *string { return &s.Transport },
		"`virtio-serial`", "what the channel does when a side comes or goes (see below)"),
	field("repeat", intCodec[int](1, math.MaxInt32), func(s *Scenario) *int { return &s.Repeat }, "`1`",
		"run the steps this many times over: a long run (a soak) from a short file; requests are numbered on across the rounds (set `duration` long enough)"),
	field("max-events", intCodec[int64](1, math.MaxInt64), func(s *Scenario) *int64 { return &s.MaxEvents }, "`100000000`",
		"the run's event budget: a run stops with an error when it reaches it, and a trigger that would fire more often is refused when the file is checked"),
	field("agent", agentSection.codec("mapping"), func(s *Scenario) *agent.Config { return &s.Agent }, "", "the guest and its agent"),
	fieldAlways("client", clientSection.codec("mapping"), func(s *Scenario) *client.Spec { return &s.Client }, "", "the host client"),
	field("notes-for", enumCodecMeant(client.Names, client.Meant), func(s *Scenario) *string { return &s.NotesFor }, "`client.strategy`",
		"the client strategy the steps' notes (`note: text`) were written for: the TUI says so when it shows another (after `s`); a step's `note` may also be a mapping with a note for each strategy"),
	custom("link", "mapping", "", "latency, jitter, baud, read size and capacity of the link", readLink, writeLink, linkSchema),
	custom("faults", "list", "none", "the faults to inject", readFaults, writeFaults, faultsSchema),
	custom("steps", "list", "none", "the host program", readSteps, writeSteps, stepsSchema),
	field("expect", expectSection.codec("mapping"), func(s *Scenario) *Expect { return &s.Expect }, "none", "what must hold at the end"),
}

func readVersion(d *decoder, n ast.Node, path string, s *Scenario) {
	if v, ok := d.integer(n, path, 0, math.MaxInt32); ok && v != Version {
		d.errf(n, "version %d is not supported (this qgasim reads version %d)", v, Version)
	}
}

// agentSection is the simulated guest and its agent (agent.Config); the
// guest's structured facts are guestKeys (guest_sections.go).
var agentSection = append(section[agent.Config]{
	field("version", strCodec, func(a *agent.Config) *string { return &a.Version }, "`"+agent.DefaultVersion+"`", "what guest-info reports"),
	field("blocked", listOf(strCodec), func(a *agent.Config) *[]string { return &a.Blocked }, "none",
		`commands disabled as with `+"`qemu-ga -b`"+` ("Command X has been disabled")`),
	field("latency", mapOf("command", durCodec), func(a *agent.Config) *map[string]time.Duration { return &a.Latency }, "none",
		"how long a command keeps the agent busy before it answers"),
	field("host-name", strCodec, func(a *agent.Config) *string { return &a.HostName }, "`debian`", "guest-get-host-name"),
	field("os", osSection.codec("mapping"), func(a *agent.Config) *agent.OSInfo { return &a.OS }, "Debian 12",
		"guest-get-osinfo: `name`, `pretty-name`, `version`, `version-id`, `id`, `kernel-release`, `kernel-version`, `machine`"),
	field("files", mapOf("path", bytesCodec), func(a *agent.Config) *map[string][]byte { return &a.Files }, "`/etc/hostname`, `/etc/os-release`",
		"files for guest-file-open/read/write"),
	field("programs", mapOf("path", programSection.codec("program")), func(a *agent.Config) *map[string]agent.Program { return &a.Programs },
		"none", "programs guest-exec can run besides the built-in ones (`true`, `false`, `echo`, `cat`, `sleep`, `sh`): `run-time` (duration), `exit-code`, `signal`, `stdout`, `stderr` (bytes)"),
	field("filesystems", intCodec[int](1, 1000), func(a *agent.Config) *int { return &a.Filesystems }, "`2`",
		"how many file systems the guest has when `file-systems` does not list them (what guest-fsfreeze-freeze returns)"),
	field("frozen", boolCodec, func(a *agent.Config) *bool { return &a.StartFrozen }, "`false`",
		"the agent starts frozen (its state directory has the frozen marker)"),
}, guestKeys...)

var osSection = section[agent.OSInfo]{
	field("name", strCodec, func(o *agent.OSInfo) *string { return &o.Name }, "", "the OS name"),
	field("pretty-name", strCodec, func(o *agent.OSInfo) *string { return &o.PrettyName }, "", "the OS name for people"),
	field("version", strCodec, func(o *agent.OSInfo) *string { return &o.Version }, "", "the OS version"),
	field("version-id", strCodec, func(o *agent.OSInfo) *string { return &o.VersionID }, "", "the OS version number"),
	field("id", strCodec, func(o *agent.OSInfo) *string { return &o.ID }, "", "the OS id (debian)"),
	field("kernel-release", strCodec, func(o *agent.OSInfo) *string { return &o.KernelRelease }, "", "uname -r"),
	field("kernel-version", strCodec, func(o *agent.OSInfo) *string { return &o.KernelVersion }, "", "uname -v"),
	field("machine", strCodec, func(o *agent.OSInfo) *string { return &o.Machine }, "", "uname -m"),
}

var programSection = section[agent.Program]{
	field("run-time", durCodec, func(p *agent.Program) *time.Duration { return &p.RunTime }, "`0s`", "how long it runs"),
	field("exit-code", intCodec[int](0, 255), func(p *agent.Program) *int { return &p.ExitCode }, "`0`", "its exit status"),
	field("signal", intCodec[int](0, 64), func(p *agent.Program) *int { return &p.Signal }, "`0`", "killed by this signal instead of exiting"),
	field("stdout", bytesCodec, func(p *agent.Program) *[]byte { return &p.Stdout }, "", "what it writes on standard output"),
	field("stderr", bytesCodec, func(p *agent.Program) *[]byte { return &p.Stderr }, "", "what it writes on standard error"),
}

// clientSection is the host client (client.Spec): the strategy and its
// options.
var clientSection = section[client.Spec]{
	fieldAlways("strategy", enumCodecMeant(client.Names, client.Meant), func(c *client.Spec) *string { return &c.Strategy }, "`delimited`",
		"the resync strategy, modelled on a real client ([strategies.md](strategies.md))"),
	field("timeout", timeoutCodec, func(c *client.Spec) *time.Duration { return &c.Options.Timeout },
		"strategy's (5 s; python 3 s; delimited 10 s; avocado-vt 20 s; qapi-rs 5 s per read)",
		"how long a caller waits for a command; `async` does not wait at all (libvirt's `--async`: it fails at once, unwritten)"),
	field("sync-timeout", durCodec, func(c *client.Spec) *time.Duration { return &c.Options.SyncTimeout },
		"strategy's (libvirt 5 s, python 3 s, delimited 2 s per attempt, avocado-vt 60 s after the first 20 s, qapi-rs 80 s for the whole handshake loop)",
		"how long one sync may take"),
	field("pid", intCodec[int](1, 4194304), func(c *client.Spec) *int { return &c.Options.PID }, "drawn from the seed",
		"proxmox: the process id at the front of its ids"),
	field("vmid", intCodec[int](1, 999999999), func(c *client.Spec) *int { return &c.Options.VMID }, "`100`",
		"proxmox: the VM id in the texts its caller sees (`VM 100 qga command ... failed - got timeout`)"),
	field("max-line", intCodec[int](1, 1<<40), func(c *client.Spec) *int { return &c.Options.MaxLine }, "`65536`",
		"none: the longest line, newline included, its line reader (a Go bufio.Scanner) takes; a longer one stops the reader for good (`bufio.Scanner: token too long`) until a new connection"),
	field("sync-id", intCodec[int](1, math.MaxInt32), func(c *client.Spec) *int { return &c.Options.SyncID }, "random 1..9999 each try",
		"qapi-rs: the handshake's id on every try, as an address used for an id is"),
	field("flush-byte", intCodec[uint8](1, 255), func(c *client.Spec) *uint8 { return &c.Options.FlushByte }, "`255`",
		"delimited: the byte written before the sync (a control byte such as 1 also flushes the agent's parser)"),
	field("sync-once", boolCodec, func(c *client.Spec) *bool { return &c.Options.SyncOnce }, "`false`",
		"delimited: sync on a new connection and after trouble only, not before every command"),
}

// dirSection is one direction of the link (link.Params).
var dirSection = section[link.Params]{
	field("latency", durCodec, func(p *link.Params) *time.Duration { return &p.Latency }, "transport's", "one-way delay of every write"),
	field("jitter", durCodec, func(p *link.Params) *time.Duration { return &p.Jitter }, "`0`", "extra delay per write, uniform in [0, jitter)"),
	field("baud", intCodec[int](50, 1e9), func(p *link.Params) *int { return &p.Baud }, "isa-serial 115200, others unlimited",
		"bits per second, 10 bits a byte"),
	field("read-max", intCodec[int](1, 1<<30), func(p *link.Params) *int { return &p.ReadMax }, "`4096`",
		"the reader takes at most this many bytes per read"),
	field("capacity", intCodec[int](1, 1<<40), func(p *link.Params) *int { return &p.Capacity }, "transport's",
		"bytes in flight before the writer is held"),
}

// formatParams is the part of a direction the format has keys for.
func formatParams(p link.Params) link.Params {
	return link.Params{Latency: p.Latency, Jitter: p.Jitter, Baud: p.Baud, ReadMax: p.ReadMax, Capacity: p.Capacity}
}

// readLink reads the parameters of both directions at once, then the
// to-agent and to-host sections, which override them.
func readLink(d *decoder, n ast.Node, path string, s *Scenario) {
	var both link.Params
	var toAgent, toHost ast.Node
	shared := append(section[link.Params]{}, dirSection...)
	sides := section[link.Params]{
		custom("to-agent", "mapping", "", "the host-to-agent direction", func(_ *decoder, v ast.Node, _ string, _ *link.Params) { toAgent = v }, nil, nil),
		custom("to-host", "mapping", "", "the agent-to-host direction", func(_ *decoder, v ast.Node, _ string, _ *link.Params) { toHost = v }, nil, nil),
	}
	append(shared, sides...).read(d, n, path, &both)
	s.Link.H2A, s.Link.A2H = both, both
	if toAgent != nil {
		dirSection.read(d, toAgent, path+".to-agent", &s.Link.H2A)
	}
	if toHost != nil {
		dirSection.read(d, toHost, path+".to-host", &s.Link.A2H)
	}
}

// writeLink writes what both directions share once, and the rest per
// direction.
func writeLink(s *Scenario) (*ynode, bool) {
	h2a, a2h := formatParams(s.Link.H2A), formatParams(s.Link.A2H)
	var both, toAgent, toHost link.Params
	split := func(x, y time.Duration, b, ta, th *time.Duration) {
		if x == y {
			*b = x
		} else {
			*ta, *th = x, y
		}
	}
	splitInt := func(x, y int, b, ta, th *int) {
		if x == y {
			*b = x
		} else {
			*ta, *th = x, y
		}
	}
	split(h2a.Latency, a2h.Latency, &both.Latency, &toAgent.Latency, &toHost.Latency)
	split(h2a.Jitter, a2h.Jitter, &both.Jitter, &toAgent.Jitter, &toHost.Jitter)
	splitInt(h2a.Baud, a2h.Baud, &both.Baud, &toAgent.Baud, &toHost.Baud)
	splitInt(h2a.ReadMax, a2h.ReadMax, &both.ReadMax, &toAgent.ReadMax, &toHost.ReadMax)
	splitInt(h2a.Capacity, a2h.Capacity, &both.Capacity, &toAgent.Capacity, &toHost.Capacity)
	m := dirSection.write(&both)
	if ta := dirSection.write(&toAgent); len(ta.keys) > 0 {
		m.add("to-agent", ta)
	}
	if th := dirSection.write(&toHost); len(th.keys) > 0 {
		m.add("to-host", th)
	}
	return m, len(m.keys) > 0
}

func linkSchema() jsonObj {
	props := jsonObj{}
	for _, k := range dirSection {
		props = props.set(k.name, k.schema())
	}
	props = props.set("to-agent", ref("direction").set("description", "The host-to-agent direction; overrides the shared keys.")).
		set("to-host", ref("direction").set("description", "The agent-to-host direction; overrides the shared keys."))
	return jsonObj{}.set("type", "object").set("additionalProperties", false).set("properties", props)
}

// expectSection is what must hold at the end of the run.
var expectSection = section[Expect]{
	field("all-answered", ptrOf(boolCodec), func(e *Expect) **bool { return &e.AllAnswered }, "", "every request got its own reply (verdict `correct`; a request the agent never ran, `not executed`, fails it)"),
	count("correct", func(e *Expect) **int { return &e.Correct }, "exactly this many requests got their own reply"),
	count("misattributed", func(e *Expect) **int { return &e.Misattributed }, "exactly this many requests got another's reply (or a stale one)"),
	count("not-executed", func(e *Expect) **int { return &e.NotExecuted },
		"exactly this many requests the agent never ran: their bytes were glued to others (a dead client's fragment) and the caller got the agent's parse error (verdict `not executed`)"),
	count("lost", func(e *Expect) **int { return &e.Lost }, "exactly this many requests the agent never answered"),
	count("hung", func(e *Expect) **int { return &e.Hung }, "exactly this many requests wait with nothing that would end the wait"),
	count("timed-out", func(e *Expect) **int { return &e.TimedOut }, "exactly this many requests timed out"),
	count("failed", func(e *Expect) **int { return &e.Failed }, "exactly this many requests failed without a reply"),
	count("dropped-replies", func(e *Expect) **int { return &e.Dropped },
		`exactly this many replies the agent made but could not write ("Illegal seek" while GLib's read buffer holds bytes), for raw pipelined requests too`),
	field("max-resync", ptrOf(durCodec), func(e *Expect) **time.Duration { return &e.MaxResync }, "", "the longest resync episode lasts at most this"),
	count("resync-episodes", func(e *Expect) **int { return &e.ResyncEpisodes }, "exactly this many resync episodes"),
	field("lost-bytes", lostBytesSection.codec("mapping"), func(e *Expect) *LostBytes { return &e.LostBytes }, "",
		"exactly this many bytes named lost in flight (by a fault or the transport), per direction: `to-agent`, `to-host`"),
	field("never", neverCodec(), func(e *Expect) *[]string { return &e.Never }, "",
		"what no request of the run may be (a verdict, or `lost`, `dropped-replies`); each is a result of its own (`never: misattributed`) that a sweep counts"),
	sectionList("requests", "per request: `request` (number), `verdict`, `outcome` (`returned`, `error`, `timed out`, `failed`), `class` (error class), `contains` and `not-contains` (text in the reply or the error detail), `outcome-after` and `outcome-before` (when the outcome came)",
		requestSection, "request", "the number of the send step (1 for the first send)", func(e *Expect) *[]RequestExpect { return &e.Requests }),
	sectionList("resyncs", "per resync episode: `episode` (number, from 1), `starts-after`, `ends-before`, `lasts-at-most`",
		resyncSection, "episode", "the number of the resync episode (1 for the first)", func(e *Expect) *[]ResyncExpect { return &e.Resyncs }),
}

var lostBytesSection = section[LostBytes]{
	field("to-agent", ptrOf(intCodec[int64](0, math.MaxInt64)), func(l *LostBytes) **int64 { return &l.ToAgent }, "", "bytes the host wrote that never reached the agent"),
	field("to-host", ptrOf(intCodec[int64](0, math.MaxInt64)), func(l *LostBytes) **int64 { return &l.ToHost }, "", "bytes the agent wrote that never reached the host"),
}

// neverCodec is expect.never: a list of names.
func neverCodec() codec[[]string] {
	c := listOf(enumCodec(neverNames))
	c.doc = "list of `" + strings.Join(neverNames(), "`, `") + "`"
	return c
}

// neverNames are what expect.never may name: the verdicts, with the count
// keys' spelling, and the two counts that are not verdicts.
func neverNames() []string {
	out := []string{}
	for _, v := range check.Verdicts {
		out = append(out, strings.ReplaceAll(string(v), " ", "-"))
	}
	return append(out, "lost", "dropped-replies")
}

var resyncSection = section[ResyncExpect]{
	fieldAlways("episode", intCodec[int](1, math.MaxInt32), func(r *ResyncExpect) *int { return &r.Episode }, "required",
		"the number of the episode, from 1, in the order they start"),
	field("starts-after", ptrOf(durCodec), func(r *ResyncExpect) **time.Duration { return &r.StartsAfter }, "", "it starts at or after this virtual time"),
	field("ends-before", ptrOf(durCodec), func(r *ResyncExpect) **time.Duration { return &r.EndsBefore }, "", "the client is back in sync before this virtual time"),
	field("lasts-at-most", ptrOf(durCodec), func(r *ResyncExpect) **time.Duration { return &r.LastsAtMost }, "", "it takes at most this long"),
}

func count(name string, get func(*Expect) **int, doc string) key[Expect] {
	return field(name, ptrOf(intCodec[int](0, math.MaxInt32)), get, "", doc)
}

var outcomeNames = []string{"returned", "error", "timed out", "failed"}

func verdictNames() []string {
	out := make([]string, len(check.Verdicts))
	for i, v := range check.Verdicts {
		out[i] = string(v)
	}
	return out
}

var requestSection = section[RequestExpect]{
	fieldAlways("request", intCodec[int](1, math.MaxInt32), func(r *RequestExpect) *int { return &r.Request }, "required",
		"the number of the send step, from 1"),
	field("verdict", enumCodec(verdictNames), func(r *RequestExpect) *string { return &r.Verdict }, "", "the oracle's verdict"),
	field("outcome", enumCodec(func() []string { return outcomeNames }), func(r *RequestExpect) *string { return &r.Outcome }, "",
		"what the caller got"),
	field("class", strCodec, func(r *RequestExpect) *string { return &r.Class }, "", "the error class of the reply"),
	field("contains", strCodec, func(r *RequestExpect) *string { return &r.Contains }, "", "text the reply or the error detail contains"),
	field("not-contains", strCodec, func(r *RequestExpect) *string { return &r.NotContains }, "", "text neither the reply nor the error detail contains"),
	field("outcome-after", ptrOf(durCodec), func(r *RequestExpect) **time.Duration { return &r.OutcomeAfter }, "",
		"the outcome came at or after this virtual time"),
	field("outcome-before", ptrOf(durCodec), func(r *RequestExpect) **time.Duration { return &r.OutcomeBefore }, "",
		"the outcome came before this virtual time"),
}

// sectionList is a key whose value is a list of a section's mappings (the
// expected requests, the expected resync episodes). Each item must have
// the key required, which needs describes in the error for an item
// without it; get finds the list in the parent.
func sectionList[P, T any](name, doc string, sec section[T], required, needs string, get func(*P) *[]T) key[P] {
	read := func(d *decoder, n ast.Node, path string, p *P) {
		for i, item := range d.list(n, path) {
			what := path + "[" + itoa(i) + "]"
			d.mark(what, item)
			var t T
			seen := sec.read(d, item, what, &t)
			if _, ok := seen[required]; !ok {
				d.errf(item, "%s needs %s: %s", what, required, needs)
			}
			*get(p) = append(*get(p), t)
		}
	}
	write := func(p *P) (*ynode, bool) {
		l := listNode()
		items := *get(p)
		for i := range items {
			l.items = append(l.items, sec.write(&items[i]))
		}
		return l, len(l.items) > 0
	}
	schema := func() jsonObj { return jsonObj{}.set("type", "array").set("items", sec.schema()) }
	return custom(name, "list", "", doc, read, write, schema)
}
