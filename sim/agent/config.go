package agent

import "time"

// Config describes the simulated guest: what the agent reports about it and
// how long its commands take. The zero value of every field has a realistic
// default (see withDefaults), so Config{} is a Debian 12 guest running
// qemu-ga 7.2.22.
type Config struct {
	// Version is the agent version guest-info reports.
	Version string
	// Blocked lists commands disabled with -b/--block-rpcs.
	Blocked []string
	// HostName is what guest-get-host-name returns.
	HostName string
	// OS is what guest-get-osinfo returns.
	OS OSInfo
	// Files is the guest's file system for guest-file-open: path to content.
	Files map[string][]byte
	// Programs are the executables guest-exec can start, by path.
	Programs map[string]Program
	// Filesystems is how many file systems guest-fsfreeze-freeze freezes.
	Filesystems int
	// BootEpoch is the guest's wall clock, in Unix nanoseconds, at virtual
	// time zero; guest-get-time returns BootEpoch plus the virtual time.
	BootEpoch int64
	// FirstPID is the pid of the first process guest-exec starts.
	FirstPID int64
	// Latency is how long a command keeps the agent busy before it answers,
	// by command name. Commands not listed answer at once.
	Latency map[string]time.Duration
	// StartFrozen starts the agent frozen, as when its state directory holds
	// the frozen marker (a freeze that was never thawed). It applies when New
	// is given no Persistent state.
	StartFrozen bool
}

// OSInfo is the guest's operating system, as guest-get-osinfo reports it.
type OSInfo struct {
	KernelRelease string
	KernelVersion string
	Machine       string
	ID            string
	Name          string
	PrettyName    string
	Version       string
	VersionID     string
	Variant       string
	VariantID     string
}

// Program is an executable in the simulated guest.
type Program struct {
	RunTime  time.Duration // how long it runs, in virtual time
	ExitCode int
	Stdout   []byte
	Stderr   []byte
}

// DefaultVersion is the version of the real agent this simulator follows.
const DefaultVersion = "7.2.22"

func (c Config) withDefaults() Config {
	if c.Version == "" {
		c.Version = DefaultVersion
	}
	if c.HostName == "" {
		c.HostName = "debian"
	}
	if c.OS == (OSInfo{}) {
		c.OS = OSInfo{
			KernelRelease: "6.1.0-26-amd64",
			KernelVersion: "#1 SMP PREEMPT_DYNAMIC Debian 6.1.112-1 (2024-09-30)",
			Machine:       "x86_64",
			ID:            "debian",
			Name:          "Debian GNU/Linux",
			PrettyName:    "Debian GNU/Linux 12 (bookworm)",
			Version:       "12 (bookworm)",
			VersionID:     "12",
		}
	}
	if c.Files == nil {
		c.Files = map[string][]byte{
			"/etc/hostname":   []byte(c.HostName + "\n"),
			"/etc/os-release": []byte("PRETTY_NAME=\"" + c.OS.PrettyName + "\"\n"),
		}
	}
	if c.Programs == nil {
		c.Programs = map[string]Program{
			"/bin/true":  {},
			"/bin/false": {ExitCode: 1},
			"/bin/sleep": {RunTime: 10 * time.Second},
		}
	}
	if c.Filesystems == 0 {
		c.Filesystems = 2
	}
	if c.BootEpoch == 0 {
		c.BootEpoch = 1_764_000_000_000_000_000 // 2025-11-24, a fixed point for determinism
	}
	if c.FirstPID == 0 {
		c.FirstPID = 1234
	}
	return c
}
