package agent

import (
	"github.com/qgasim/qgasim/sim/qjson"
	"sync"
)

// Persistent is what qemu-ga keeps in its state directory and so survives a
// restart of the agent process: the file-handle counter (qga.state,
// fd_counter, starting at 1000) and the frozen marker (qga.state.isfrozen).
type Persistent struct {
	FDCounter int64
	Frozen    bool
}

// NewPersistent returns the state of a fresh state directory.
func NewPersistent() *Persistent { return &Persistent{FDCounter: 1000} }

// Agent is one qemu-ga process: a pure state machine. Feed it the bytes it
// reads and the virtual time; it returns what it writes. It never reads a
// clock or touches I/O, so the same core serves the simulation, the stdio
// mode and the unix socket.
type Agent struct {
	cfg     Config
	persist *Persistent
	guest   *guestState // the guest's files and settings; kept across restarts
	parser  *qjson.Parser
	cmds    map[string]*command
	// states is each command's enabled flag and disable reason, numbered
	// as commandNames (one block: a sweep starts an agent per run).
	states []cmdState

	delimit  bool  // guest-sync-delimited asked for a 0xFF before the next reply
	seq      int64 // messages handled by this process
	busy     int64 // virtual time until which the agent is executing commands
	fed      int64 // bytes fed to this process
	files    map[int64]*openFile
	procs    map[int64]*process
	nextPID  int64
	clockOff int64 // guest-set-time's change to the guest clock

	// Reused for every message: the arguments reader and the empty
	// arguments of a request without any.
	in     args
	noArgs qjson.Dict
	req    requestFields // the request's members, as checkRequest found them
	// reqMemo is checkRequest's result for the last shapes of request,
	// the latest first (the delimited client alternates two).
	reqMemo [2]requestMemo
	resp    response // the reply dispatch decided on
	// parseErr is the error of a message the parser refused.
	parseErr cmdError

	wbuf    []byte  // reply bytes of the current Feed
	replies []Reply // replies of the current Feed
	now     int64   // time the current message is handled at

	handleFn func(qjson.Message)
	// rawRet is set by a command whose result is a cached value with its
	// bytes already written (guest-info), for the reply to copy.
	rawRet []byte

	// errReply is the last error reply without an id, as written, and
	// its error: a client that makes the same error again and again (the
	// delimited client's 0xFF before every sync) gets the same bytes.
	errReply []byte
	errOf    cmdError

	// The last two commands dispatched and their numbers, the latest
	// first: a client repeats its commands (the delimited client
	// alternates two), and an interned name compares with itself at once.
	lastCmd    [2]string
	lastCmdIdx [2]int
}

// Effect is something a command does to the guest beyond its reply.
type Effect uint8

// Effects the World acts on.
const (
	EffectNone     Effect = iota
	EffectFrozen          // the guest file systems were frozen
	EffectThawed          // ...and thawed
	EffectShutdown        // guest-shutdown: the guest powers off or halts
	EffectReboot          // guest-shutdown mode=reboot
	EffectSuspend         // guest-suspend-*: the guest suspends (no reply)
)

// Reply describes one message the agent handled and what it wrote for it.
type Reply struct {
	Seq      int64  // message number in this process, from 1
	InputEnd int64  // bytes this process had read when the message ended
	At       int64  // virtual time at which the reply is written
	Command  string // the command, or "" when the message was not a request
	ID       []byte // the request's top-level id as JSON, or nil
	Class    string // error class, "" for success
	Desc     string // error text, "" for success
	Bytes    []byte // the bytes written, nil when there is no reply
	Delim    bool   // the reply starts with the 0xFF sentinel
	Effect   Effect
}

// New starts an agent process. persist is the state directory; nil is a
// fresh one.
func New(cfg Config, persist *Persistent) *Agent {
	if persist == nil {
		persist = NewPersistent()
		persist.Frozen = cfg.StartFrozen
	}
	a := &Agent{cfg: cfg.withDefaults(), persist: persist}
	a.guest = newGuestState(&a.cfg)
	a.start()
	return a
}

// start sets up the per-process state, as a new qemu-ga process would.
func (a *Agent) start() {
	// A restart's parser is the old one Reset: the same as a new one,
	// with its memory kept (a heavy run restarts its agent every few
	// seconds).
	if a.parser == nil {
		a.parser = qjson.NewParser()
		a.parser.InternShared(internTable())
	} else {
		a.parser.Reset()
	}
	a.cmds = commandTable()
	if len(a.states) != len(commandOrder) {
		a.states = make([]cmdState, len(commandOrder))
	}
	for i := range a.states {
		a.states[i] = cmdState{enabled: true}
	}
	for _, name := range unsupportedOnLinux {
		*a.state(name) = cmdState{}
	}
	// A frozen marker is honoured before -b is applied, so a blocked command
	// shows no reason even in frozen state (observed on qemu-ga 7.2).
	if a.persist.Frozen {
		a.disableForFreeze()
	}
	for _, name := range a.cfg.Blocked {
		if st := a.state(name); st != nil {
			st.enabled, st.reason = false, ""
		}
	}
	a.delimit = false
	a.reqMemo = [2]requestMemo{}
	a.lastCmd, a.lastCmdIdx = [2]string{}, [2]int{-1, -1}
	a.seq, a.busy, a.fed = 0, 0, 0
	// A new process has no open file and no child. The tables of the
	// last one serve again when it left them empty (the usual case: a
	// heavy run restarts its agent every few seconds).
	if a.files == nil || len(a.files) > 0 {
		a.files = map[int64]*openFile{}
	}
	if a.procs == nil || len(a.procs) > 0 {
		a.procs = map[int64]*process{}
	}
	a.nextPID = a.cfg.FirstPID
}

// state is a command's state, nil for a name that is no command.
func (a *Agent) state(name string) *cmdState {
	if i := commandNames.Index(name); i >= 0 {
		return &a.states[i]
	}
	return nil
}

// internTable is internStrings as a table, built once and shared by every
// agent's parser (each run of a sweep starts an agent).
var internTable = sync.OnceValue(func() *qjson.Names {
	t := &qjson.Names{}
	for _, s := range internStrings {
		t.Add(s)
	}
	return t
})

// Restart kills the process and starts a new one: the parser, the pending
// 0xFF flag, open files and exec children are lost; the state directory
// (handle counter, frozen marker) is kept.
func (a *Agent) Restart() { a.start() }

// Persistent returns the agent's state directory.
func (a *Agent) Persistent() *Persistent { return a.persist }

// Config returns the configuration with its defaults filled in.
func (a *Agent) Config() Config { return a.cfg }

// ParserState is a snapshot of the JSON parser, for display.
func (a *Agent) ParserState() qjson.State { return a.parser.State() }

// ParserIdle reports whether the parser holds no partial input.
func (a *Agent) ParserIdle() bool { return a.parser.Idle() }

// BusyUntil is the virtual time until which the agent executes commands and
// reads nothing.
func (a *Agent) BusyUntil() int64 { return a.busy }

// Frozen reports whether the guest file systems are frozen.
func (a *Agent) Frozen() bool { return a.persist.Frozen }

// Feed gives the agent the bytes of one read from its channel at virtual
// time now and returns, in order, every message those bytes completed with
// the reply written for it. qemu-ga handles every message of a read before
// it reads again, so a slow command delays the replies after it: each reply
// is due when the commands before it are done. The returned slices are valid
// until the next call.
func (a *Agent) Feed(now int64, in []byte) []Reply {
	a.wbuf = a.wbuf[:0]
	a.replies = a.replies[:0]
	a.now = max(now, a.busy)
	if a.handleFn == nil {
		a.handleFn = a.handle // one method value, not one per Feed
	}
	a.parser.Feed(in, a.handleFn)
	a.fed += int64(len(in))
	// The Bytes of each reply point into wbuf, which may have grown while
	// they were written; point them at the final buffer.
	off := 0
	for i := range a.replies {
		n := len(a.replies[i].Bytes)
		if a.replies[i].Bytes != nil {
			a.replies[i].Bytes = a.wbuf[off : off+n : off+n]
		}
		off += n
	}
	if a.now > a.busy {
		a.busy = a.now
	}
	return a.replies
}

// Written returns every byte the last Feed wrote, its replies in order: a
// shell writes them with one write. Valid until the next call.
func (a *Agent) Written() []byte { return a.wbuf }

// handle is called by the parser for every complete message.
func (a *Agent) handle(m qjson.Message) {
	a.seq++
	// The reply is built where it is kept, in the list of the Feed's
	// replies: handlers get a pointer to it (a local would move to the
	// heap for every message, and a copy costs 128 bytes).
	a.replies = append(a.replies, Reply{Seq: a.seq, InputEnd: a.fed + a.parser.Offset(), At: a.now})
	r := &a.replies[len(a.replies)-1]
	a.dispatch(&m, r)
	r.At = a.now
	if !a.resp.none {
		start := len(a.wbuf)
		if a.delimit {
			a.wbuf = append(a.wbuf, 0xFF)
			a.delimit = false
			r.Delim = true
		}
		a.wbuf = a.appendResponse(a.wbuf)
		a.wbuf = append(a.wbuf, '\n')
		r.Bytes = a.wbuf[start:]
	}
}
