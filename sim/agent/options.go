package agent

import (
	"errors"
	"fmt"
	"strings"
)

// Options is qemu-ga 7.2's configuration: what its command line and its
// key file (QGA_CONF, group [general]) set, and what -D/--dump-conf prints.
// The simulator acts on the parts that matter to a client (the method and
// path it serves, the blocked commands, the state directory); the others are
// kept so that a dump reads as the real agent's.
type Options struct {
	Daemonize bool
	Method    string
	Path      string
	LogFile   string
	PidFile   string
	// FsfreezeHook is the freeze hook script, "" for none.
	FsfreezeHook string
	StateDir     string
	Verbose      bool
	RetryPath    bool
	// BlockRPCs is the block list in qemu-ga's order: each list (a key
	// file's, then each -b's) is split at commas and reversed, and the
	// lists are joined in the order given.
	BlockRPCs []string
}

// The defaults of qemu-ga 7.2 on Linux.
const (
	DefaultMethod       = "virtio-serial"
	DefaultPidFile      = "/var/run/qemu-ga.pid"
	DefaultStateDir     = "/var/run"
	DefaultFsfreezeHook = "/etc/qemu/fsfreeze-hook"
	defaultVirtioPath   = "/dev/virtio-ports/org.qemu.guest_agent.0"
	defaultSerialPath   = "/dev/ttyS0"
)

// Block adds a -b/--block-rpcs list (or a key file's block-rpcs value).
func (o *Options) Block(list string) {
	if list == "" {
		return // GLib splits an empty string into no names
	}
	names := strings.Split(list, ",")
	for i := len(names) - 1; i >= 0; i-- {
		o.BlockRPCs = append(o.BlockRPCs, names[i])
	}
}

// LoadConfig reads a qemu-ga key file (its name is for messages). Keys it
// does not know are ignored, as qemu-ga ignores them; a file GLib cannot
// read or a value of the wrong type is an error that names the file and
// the line. warnings are what qemu-ga would warn about (the deprecated
// blacklist key).
func (o *Options) LoadConfig(name string, data []byte) (warnings []string, err error) {
	kf, err := parseKeyFile(data)
	if err != nil {
		var ke *keyFileError
		if errors.As(err, &ke) {
			return nil, fmt.Errorf("%s:%d: %s", name, ke.Line, ke.Msg)
		}
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	const g = "general"
	var errs []error
	str := func(key string, dst *string) {
		if v, ok, err := kf.str(g, key); err != nil {
			errs = append(errs, err)
		} else if ok {
			*dst = v
		}
	}
	boolean := func(key string, dst *bool) {
		if v, ok, err := kf.boolean(g, key); err != nil {
			errs = append(errs, err)
		} else if ok {
			*dst = v
		}
	}
	boolean("daemon", &o.Daemonize)
	str("method", &o.Method)
	str("path", &o.Path)
	str("logfile", &o.LogFile)
	str("pidfile", &o.PidFile)
	str("fsfreeze-hook", &o.FsfreezeHook)
	str("statedir", &o.StateDir)
	var verbose bool
	if boolean("verbose", &verbose); verbose {
		o.Verbose = true
	}
	boolean("retry-path", &o.RetryPath)
	key := "block-rpcs"
	if _, ok := kf.value(g, "blacklist"); ok {
		warnings = append(warnings, "config using deprecated 'blacklist' key, should be replaced with the 'block-rpcs' key.")
		key = "blacklist"
	}
	var list string
	if _, ok := kf.value(g, key); ok {
		str(key, &list)
		o.Block(list)
	}
	if len(errs) > 0 {
		return warnings, fmt.Errorf("%s: [general] %w", name, errors.Join(errs...))
	}
	return warnings, nil
}

// Finish fills in what qemu-ga fills in after reading its configuration:
// the default method, the default path of a device method, the pid file and
// the state directory. A method without a default path needs one. The
// method itself is checked only when the agent opens its channel (a dump
// prints whatever was given).
func (o *Options) Finish() error {
	if o.Method == "" {
		o.Method = DefaultMethod
	}
	if o.PidFile == "" {
		o.PidFile = DefaultPidFile
	}
	if o.StateDir == "" {
		o.StateDir = DefaultStateDir
	}
	if o.Path == "" {
		switch o.Method {
		case "virtio-serial":
			o.Path = defaultVirtioPath
		case "isa-serial":
			o.Path = defaultSerialPath
		default:
			return fmt.Errorf("must specify a path for this channel (method %s)", o.Method)
		}
	}
	return nil
}

// Dump is what qemu-ga -D prints: the configuration as a key file.
func (o *Options) Dump() []byte {
	var b strings.Builder
	b.WriteString("[general]\n")
	kv := func(k, v string) { b.WriteString(k + "=" + escapeKeyValue(v) + "\n") }
	kv("daemon", fmt.Sprint(o.Daemonize))
	kv("method", o.Method)
	if o.Path != "" {
		kv("path", o.Path)
	}
	if o.LogFile != "" {
		kv("logfile", o.LogFile)
	}
	kv("pidfile", o.PidFile)
	if o.FsfreezeHook != "" {
		kv("fsfreeze-hook", o.FsfreezeHook)
	}
	kv("statedir", o.StateDir)
	kv("verbose", fmt.Sprint(o.Verbose))
	kv("retry-path", fmt.Sprint(o.RetryPath))
	kv("block-rpcs", strings.Join(o.BlockRPCs, ","))
	return []byte(b.String())
}
