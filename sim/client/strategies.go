package client

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"time"
)

// Options tune a strategy. The zero value gives each strategy the defaults of
// the real client it models.
type Options struct {
	// Timeout is the default time a caller waits for a command, used when a
	// Request has none. Zero: the strategy's default (5 s for none, libvirt
	// and proxmox, 3 s for python-qga, 10 s for delimited). Negative: wait
	// for ever.
	Timeout time.Duration
	// SyncTimeout is how long a sync may take. Zero: the strategy's default
	// (libvirt 5 s, python 3 s or 60 s before guest-fsfreeze-freeze,
	// delimited 2 s per attempt).
	SyncTimeout time.Duration
	// HostEpoch is the host's wall clock at virtual time zero, in Unix
	// nanoseconds; libvirt takes its sync ids from it.
	HostEpoch int64
	// PID is the host process id a Proxmox client puts at the front of its ids.
	PID int
	// VMID is the VM id in the texts a Proxmox caller sees (default 100).
	VMID int
	// FlushByte is the byte the delimited strategy writes before its sync to
	// flush the agent's parser: 0xFF by default, or a control byte such as
	// 0x01 as the QMP spec suggests.
	FlushByte byte
	// MaxLine is the longest line (its newline included) the none strategy
	// reads before its line reader fails for good; 0: 64 KiB, bufio.Scanner's
	// default. Negative: no limit.
	MaxLine int
	// SyncID fixes the qapi-rs strategy's handshake id (as an address used
	// for an id is the same on every try); 0: random in 1..9999 as vmtest.
	SyncID int
	// SyncOnce makes the delimited strategy sync only on a new connection and
	// after trouble, instead of before every command.
	SyncOnce bool
}

// DefaultHostEpoch is the host's clock at virtual time zero unless a scenario
// sets one: a fixed moment, so that ids are the same in every run.
const DefaultHostEpoch = int64(1_764_000_000_000_000_000)

// Constructor builds a strategy with its own random stream.
type Constructor func(opts Options, rng *rand.Rand) Client

// strategies is the table of strategies by name.
var strategies = map[string]Constructor{
	"none":       newNone,
	"libvirt":    newLibvirt,
	"proxmox":    newProxmox,
	"python-qga": newPythonQGA,
	"delimited":  newDelimited,
	"avocado-vt": newAvocado,
	"qapi-rs":    newQapiRS,
}

// informal maps the words the documentation, the library's descriptions
// and field reports use for a client to the strategy that models it, so
// that an error can name the strategy meant: "naive" is what people call
// the none strategy.
var informal = map[string]string{
	"naive":      "none",
	"cloudpods":  "none",
	"python":     "python-qga",
	"qemu.qmp":   "python-qga",
	"qmp":        "python-qga",
	"avocado":    "avocado-vt",
	"tp-qemu":    "avocado-vt",
	"vmtest":     "qapi-rs",
	"qapi":       "qapi-rs",
	"pve":        "proxmox",
	"documented": "delimited",
}

// Meant is the strategy an unknown name most likely means: the strategy of
// an informal name ("naive": "none"), or of a known name written in
// another case. It is "" when it cannot tell.
func Meant(name string) string {
	low := strings.ToLower(strings.TrimSpace(name))
	if s, ok := informal[low]; ok {
		return s
	}
	if _, ok := strategies[low]; ok && low != name {
		return low
	}
	return ""
}

// Names lists the strategies, sorted.
func Names() []string {
	names := make([]string, 0, len(strategies))
	for n := range strategies {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Spec is the host client as data: a strategy by name and its options, as
// a scenario gives them. Switching strategy is editing Strategy.
type Spec struct {
	Strategy string
	Options  Options
	// Custom, when set, builds the client instead of the strategy table: a
	// strategy of your own, plugged in from Go. Strategy then names it in
	// reports and need not be in the table.
	Custom Constructor
}

// Validate reports an unknown strategy (Custom needs none).
func (s Spec) Validate() error {
	if s.Custom != nil {
		return nil
	}
	if _, ok := strategies[s.Strategy]; !ok {
		return fmt.Errorf("unknown client strategy %q (valid: %s)", s.Strategy, strings.Join(Names(), ", "))
	}
	return nil
}

// New builds the client with its own random stream.
func (s Spec) New(rng *rand.Rand) (Client, error) {
	if s.Custom != nil {
		return withLock(s.Custom(withDefaults(s.Options), rng), lockOf("")), nil
	}
	return New(s.Strategy, s.Options, rng)
}

func withDefaults(opts Options) Options {
	if opts.HostEpoch == 0 {
		opts.HostEpoch = DefaultHostEpoch
	}
	return opts
}

// New builds the strategy called name, behind its lock (Lock): callers
// that run at once wait for each other as the real client makes them.
func New(name string, opts Options, rng *rand.Rand) (Client, error) {
	c, ok := strategies[name]
	if !ok {
		return nil, fmt.Errorf("unknown client strategy %q (valid: %s)", name, strings.Join(Names(), ", "))
	}
	return withLock(c(withDefaults(opts), rng), lockOf(name)), nil
}

func orDefault(d, def time.Duration) time.Duration {
	if d == 0 {
		return def
	}
	return d
}
