package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"
	"go.uber.org/zap"

	"github.com/qgasim/qgasim/internal/agentserver"
	"github.com/qgasim/qgasim/internal/listen"
	"github.com/qgasim/qgasim/sim/agent"
)

// agentFlags are `qgasim agent`'s flags: qemu-ga's own (those that matter to
// a client, and those a dump prints) and the simulator's.
type agentFlags struct {
	stdio, verbose, dump, retry, daemonize, remote bool
	listen, method, path, config, logTo, pidFile   string
	hook, stateDir, osRelease, fsRoot, epoch       string
	blocked                                        []string
}

// newAgentCmd is `qgasim agent`: the simulated qemu-ga on real bytes.
func newAgentCmd() *cobra.Command {
	var fl agentFlags
	cmd := &cobra.Command{
		Use:   "agent (--stdio | --listen unix:PATH | -m unix-listen -p PATH) [flags]",
		Short: "run the simulated qemu-ga on stdio or a unix socket",
		Long: `Runs the simulated qemu-ga 7.2 against real bytes, for a real client.

With --stdio it reads the host's bytes from stdin and writes the agent's to stdout;
at EOF it exits without answering a request still incomplete. With --listen (or
qemu-ga's -m unix-listen -p PATH) it serves a unix socket as qemu-ga does: one client
at a time (a second one waits in the backlog), the parser kept across clients. It
stops on SIGINT, SIGTERM or SIGHUP and removes its socket, or when a client sends
guest-shutdown (as the guest powering off stops qemu-ga).

It takes qemu-ga's options that matter to a client: -b to disable commands, a
qemu-ga configuration file (--config, or $QGA_CONF as qemu-ga reads it; group
[general]), -D to print the configuration as qemu-ga -D does, -t for a state
directory (the file-handle counter and the frozen marker survive a restart), and
the guest's os-release (--os-release, or $QGA_OS_RELEASE as qemu-ga reads it).
-l, -f, -F and -r are accepted so that a dump reads as qemu-ga's; qgasim writes
no pid file and runs no freeze hook.

The guest is simulated: a small Debian 12 VM whose clock starts at --epoch and
moves with real time, whose files live in memory or, with --fs-root, in a real
directory (a test can look at what a client wrote; no path leaves it).

The unix socket is created 0600, a path that holds anything but a stale socket is
refused, and only the socket this process created is removed: stricter than
qemu-ga, on purpose (docs/fidelity.md).

Exit status: 0 after a signal, a guest shutdown or the end of stdin; 2 for bad
flags, a refused socket path or a configuration that does not load.`,
		Example: `  qgasim agent --listen unix:/tmp/qga.sock
  printf '{"execute":"guest-get-osinfo"}' | qgasim agent --stdio
  QGA_CONF=qemu-ga.conf qgasim agent -D
  qgasim agent -m unix-listen -p /tmp/qga.sock -t /tmp/qga-state --fs-root /tmp/guest`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return runAgent(cmd, &fl) },
	}
	f := cmd.Flags()
	f.BoolVar(&fl.stdio, "stdio", false, "read host bytes on stdin, write agent bytes on stdout")
	f.StringVar(&fl.listen, "listen", "", "serve on `unix:PATH` (or tcp:127.0.0.1:PORT), one client at a time")
	f.BoolVar(&fl.remote, "listen-remote", false, "let --listen tcp: name an address that is not loopback (anyone who can reach it controls the guest)")
	f.StringVarP(&fl.method, "method", "m", "", "qemu-ga's transport `method`; qgasim serves unix-listen (with -p)")
	f.StringVarP(&fl.path, "path", "p", "", "the socket `PATH` of -m unix-listen")
	f.StringArrayVarP(&fl.blocked, "block-rpcs", "b", nil, "comma-separated `commands` to disable, as qemu-ga -b (repeatable)")
	f.StringArrayVar(&fl.blocked, "blacklist", nil, "the old name of --block-rpcs")
	_ = f.MarkHidden("blacklist")
	f.StringVarP(&fl.config, "config", "c", "", "qemu-ga configuration `FILE` (key file, group [general]); default $QGA_CONF")
	f.BoolVarP(&fl.dump, "dump-conf", "D", false, "print the configuration as qemu-ga -D does, and exit")
	f.StringVarP(&fl.stateDir, "statedir", "t", "", "keep the agent's state in `DIR` (qga.state, qga.state.isfrozen)")
	f.StringVar(&fl.osRelease, "os-release", "", "the guest's os-release `FILE`, read as qemu-ga reads it; default $QGA_OS_RELEASE")
	f.StringVar(&fl.fsRoot, "fs-root", "", "keep the guest's files in `DIR` (its \"/\"); default in memory")
	f.StringVar(&fl.epoch, "epoch", "now", "the guest clock at start: `TIME` in RFC 3339, or now")
	f.StringVarP(&fl.logTo, "logfile", "l", "", "write logs to `FILE` instead of stderr")
	f.StringVar(&fl.logTo, "log", "", "the same as --logfile")
	_ = f.MarkHidden("log")
	f.BoolVarP(&fl.verbose, "verbose", "v", false, "log every request and reply")
	// --v, as the flag was spelled before -v became --verbose's short form.
	f.BoolVar(&fl.verbose, "v", false, "log every request and reply")
	_ = f.MarkHidden("v")
	f.StringVarP(&fl.pidFile, "pidfile", "f", "", "qemu-ga's pid `FILE`, for the dump (qgasim writes none)")
	f.StringVarP(&fl.hook, "fsfreeze-hook", "F", "", "qemu-ga's freeze hook `FILE`, for the dump (qgasim runs none)")
	f.Lookup("fsfreeze-hook").NoOptDefVal = agent.DefaultFsfreezeHook
	f.BoolVarP(&fl.retry, "retry-path", "r", false, "qemu-ga's --retry-path, for the dump")
	f.BoolVarP(&fl.daemonize, "daemonize", "d", false, "qemu-ga's --daemonize: refused, run qgasim under a service manager")
	return cmd
}

func runAgent(cmd *cobra.Command, fl *agentFlags) error {
	stderr := cmd.ErrOrStderr()
	opts, err := agentOptions(cmd, fl)
	if err != nil {
		return err
	}
	if fl.dump {
		_, err := rawOut(cmd).Write(opts.Dump())
		return err
	}
	defer limitLiveMemory(os.Getenv)()
	address, err := agentAddress(fl, opts)
	if err != nil {
		return err
	}
	log, err := newLogger(fl.logTo, fl.inputs(), opts.Verbose, stderr)
	if err != nil {
		return err
	}
	defer func() { _ = log.Sync() }()
	cfg, persist, state, cleanup, err := agentConfig(fl, opts)
	if err != nil {
		return err
	}
	defer cleanup()
	srv := agentserver.New(agent.New(cfg, persist), log, state)
	if fl.stdio {
		// The agent's bytes, as they are: not text for people.
		err := srv.ServeStream(cmd.InOrStdin(), rawOut(cmd))
		if err != nil && !errors.Is(err, agentserver.ErrShutdown) {
			log.Error("stdio", zap.Error(err))
			return exitStatus(exitFailed)
		}
		return nil
	}
	// The signals are caught before the socket exists: one that comes as
	// soon as a client can connect must still remove it.
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP)
	defer stop()
	lopts := listen.Options{AllowRemote: fl.remote, Warn: func(msg string) { fmt.Fprintln(stderr, msg) }}
	ln, err := listen.Listen(address, lopts)
	if err != nil {
		return err
	}
	defer ln.Close()
	log.Info("listening", zap.String("address", ln.Address()))
	if err := srv.Serve(ctx, ln); err != nil && !errors.Is(err, agentserver.ErrShutdown) {
		fmt.Fprintf(stderr, "%s: %v\n", cmd.CommandPath(), err)
		return exitStatus(exitFailed)
	}
	log.Info("stopped")
	return nil
}

// agentOptions is qemu-ga's configuration: the key file, then the command
// line, then qemu-ga's defaults.
func agentOptions(cmd *cobra.Command, fl *agentFlags) (agent.Options, error) {
	var o agent.Options
	conf, explicit := fl.config, true
	if conf == "" {
		conf, explicit = os.Getenv("QGA_CONF"), false
	}
	if conf != "" {
		data, err := os.ReadFile(conf)
		switch {
		case err == nil:
			warnings, err := o.LoadConfig(conf, data)
			for _, w := range warnings {
				fmt.Fprintf(cmd.ErrOrStderr(), "%s: warning: %s\n", cmd.CommandPath(), w)
			}
			if err != nil {
				return o, fmt.Errorf("configuration: %w", err)
			}
		case explicit || !errors.Is(err, os.ErrNotExist):
			// qemu-ga ignores a $QGA_CONF that does not exist.
			return o, fmt.Errorf("configuration: %w", err)
		}
	}
	f := cmd.Flags()
	set := func(name string, dst *string, v string) {
		if f.Changed(name) {
			*dst = v
		}
	}
	set("method", &o.Method, fl.method)
	set("path", &o.Path, fl.path)
	set("logfile", &o.LogFile, fl.logTo)
	set("log", &o.LogFile, fl.logTo)
	set("pidfile", &o.PidFile, fl.pidFile)
	set("fsfreeze-hook", &o.FsfreezeHook, fl.hook)
	set("statedir", &o.StateDir, fl.stateDir)
	for _, b := range fl.blocked {
		o.Block(b)
	}
	o.Verbose = o.Verbose || fl.verbose
	o.RetryPath = o.RetryPath || fl.retry
	o.Daemonize = o.Daemonize || fl.daemonize
	if p, ok := strings.CutPrefix(fl.listen, "unix:"); ok && p != "" {
		o.Method, o.Path = "unix-listen", p
	}
	if err := o.Finish(); err != nil {
		return o, usageError{err}
	}
	return o, nil
}

// agentAddress is where to serve: --stdio, --listen, or qemu-ga's
// -m unix-listen -p PATH (from the flags or the configuration).
func agentAddress(fl *agentFlags, o agent.Options) (string, error) {
	if o.Daemonize {
		return "", usageError{errors.New("qgasim does not daemonize (--daemonize or daemon=true): run it under a service manager")}
	}
	switch {
	case fl.stdio && fl.listen != "":
		return "", usageError{errors.New("give one of --stdio or --listen, not both")}
	case fl.stdio:
		return "", nil
	case fl.listen != "":
		return fl.listen, nil
	case o.Method == "unix-listen":
		return "unix:" + o.Path, nil
	case fl.method != "" || o.Method != agent.DefaultMethod:
		return "", usageError{fmt.Errorf("qgasim serves the method unix-listen (or --stdio), not %s: it has no device", o.Method)}
	}
	return "", usageError{errors.New("give one of --stdio, --listen unix:PATH or -m unix-listen -p PATH")}
}

// agentConfig builds the simulated guest from the flags: its blocked
// commands, os-release, files, clock and state directory. cleanup releases
// what it opened.
func agentConfig(fl *agentFlags, o agent.Options) (cfg agent.Config, persist *agent.Persistent,
	state *agentserver.StateDir, cleanup func(), err error) {
	cleanup = func() {}
	cfg.Blocked = o.BlockRPCs
	osFile := fl.osRelease
	if osFile == "" {
		osFile = os.Getenv("QGA_OS_RELEASE")
	}
	if osFile != "" {
		data, err := os.ReadFile(osFile)
		if err != nil {
			return cfg, nil, nil, cleanup, fmt.Errorf("os-release: %w", err)
		}
		base := agent.DefaultOS()
		cfg.OS = agent.OSInfo{KernelRelease: base.KernelRelease, KernelVersion: base.KernelVersion, Machine: base.Machine}
		if info, ok := agent.ParseOSRelease(data); ok {
			info.KernelRelease, info.KernelVersion, info.Machine = base.KernelRelease, base.KernelVersion, base.Machine
			cfg.OS = info
		}
	}
	switch fl.epoch {
	case "now", "":
		cfg.BootEpoch = time.Now().UnixNano()
	default:
		t, err := time.Parse(time.RFC3339Nano, fl.epoch)
		if err != nil {
			return cfg, nil, nil, cleanup, usageError{fmt.Errorf("--epoch %q: want RFC 3339 (2025-11-24T12:00:00Z) or now", fl.epoch)}
		}
		cfg.BootEpoch = t.UnixNano()
	}
	if fl.fsRoot != "" {
		fs, err := agent.OpenDirFS(fl.fsRoot)
		if err != nil {
			return cfg, nil, nil, cleanup, fmt.Errorf("--fs-root: %w", err)
		}
		cfg.FS = fs
		cleanup = func() { fs.Close() }
	}
	if fl.stateDir != "" {
		state, persist, err = agentserver.OpenStateDir(fl.stateDir)
		if err != nil {
			cleanup()
			return cfg, nil, nil, func() {}, err
		}
	}
	return cfg, persist, state, cleanup, nil
}

// inputs are the files the agent reads at start (its configuration and
// its os-release file, from the flags or the environment), which its log
// must never be appended to.
func (fl *agentFlags) inputs() []string {
	in := []string{fl.config, fl.osRelease}
	if fl.config == "" {
		in[0] = os.Getenv("QGA_CONF")
	}
	if fl.osRelease == "" {
		in[1] = os.Getenv("QGA_OS_RELEASE")
	}
	return in
}
