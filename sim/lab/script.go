package lab

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Op is one kind of host action in a script.
type Op uint8

// The host actions. The agent ones act on the agent of the script's
// transport through the guest's control shell (or, in the simulator, on the
// simulated agent process).
const (
	OpConnect Op = iota + 1 // open a connection to the agent's chardev socket
	OpWrite                 // write Data on the connection
	OpRead                  // read until Until has arrived or For has passed
	OpClose                 // close the connection
	OpSleep                 // wait For
	OpPause                 // SIGSTOP the agent: its port stays open, it reads nothing
	OpResume                // SIGCONT
	OpStop                  // SIGTERM the agent and keep it down
	OpKill                  // SIGKILL the agent and keep it down
	OpStart                 // let the agent start again and wait until it runs
	OpTerm                  // SIGTERM the agent and go on at once: it may live on (it holds a reply no host takes); once it exits it stays down until start
)

var opNames = [...]string{OpConnect: "connect", OpWrite: "write", OpRead: "read", OpClose: "close",
	OpSleep: "sleep", OpPause: "pause", OpResume: "resume", OpStop: "stop", OpKill: "kill", OpStart: "start", OpTerm: "term"}

func (o Op) String() string {
	if int(o) < len(opNames) && opNames[o] != "" {
		return opNames[o]
	}
	return "op?"
}

// Step is one host action. Conn names the connection for connect, write,
// read and close.
type Step struct {
	Op    Op
	Conn  string
	Data  []byte        // write
	Until []byte        // read: stop as soon as the bytes of this read contain it
	Max   int           // read: stop after this many bytes (0: no limit)
	For   time.Duration // read: the longest wait; sleep: the wait
}

func (s Step) String() string {
	switch s.Op {
	case OpWrite:
		return fmt.Sprintf("%s %s %s", s.Conn, s.Op, Quote(s.Data))
	case OpRead:
		if s.Max > 0 {
			return fmt.Sprintf("%s read %d bytes (at most %v)", s.Conn, s.Max, s.For)
		}
		if s.Until != nil {
			return fmt.Sprintf("%s read until %s (at most %v)", s.Conn, Quote(s.Until), s.For)
		}
		return fmt.Sprintf("%s read for %v", s.Conn, s.For)
	case OpConnect, OpClose:
		return s.Conn + " " + s.Op.String()
	case OpSleep:
		return "sleep " + s.For.String()
	}
	return "agent " + s.Op.String()
}

// Script is a named sequence of host actions.
type Script struct {
	Name  string
	Steps []Step
	// BigFile puts BigFile at BigFilePath in the simulated guest (the real
	// guest always has it); only the scripts that read it pay for the copy.
	BigFile bool
}

// Step constructors, so that scripts read as the lab's transcripts do.

func connect(c string) Step                  { return Step{Op: OpConnect, Conn: c} }
func write(c, data string) Step              { return Step{Op: OpWrite, Conn: c, Data: []byte(data)} }
func closeConn(c string) Step                { return Step{Op: OpClose, Conn: c} }
func sleep(d time.Duration) Step             { return Step{Op: OpSleep, For: d} }
func agentOp(op Op) Step                     { return Step{Op: op} }
func readFor(c string, d time.Duration) Step { return Step{Op: OpRead, Conn: c, For: d} }
func readBytes(c string, n int, d time.Duration) Step {
	return Step{Op: OpRead, Conn: c, Max: n, For: d}
}
func readUntil(c, until string, d time.Duration) Step {
	return Step{Op: OpRead, Conn: c, Until: []byte(until), For: d}
}

// Quote shows bytes as the lab notes do: printable ASCII as is, the rest
// as \xNN, in double quotes.
func Quote(b []byte) string {
	var sb strings.Builder
	sb.WriteByte('"')
	for _, c := range b {
		switch {
		case c == '"' || c == '\\':
			sb.WriteByte('\\')
			sb.WriteByte(c)
		case c == '\n':
			sb.WriteString(`\n`)
		case c >= 0x20 && c < 0x7f:
			sb.WriteByte(c)
		default:
			sb.WriteString(`\x` + strconv.FormatUint(uint64(c)|0x100, 16)[1:])
		}
	}
	sb.WriteByte('"')
	return sb.String()
}
