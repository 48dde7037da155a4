package agent

import "time"

// Config describes the simulated guest: what the agent reports about it and
// how long its commands take. The zero value of every field has a realistic
// default (see withDefaults and defaults.go), so Config{} is a small Debian
// 12 VM (2 vCPUs, 2 GiB, one virtio disk, one NIC) running qemu-ga 7.2.22.
// A nil list takes the default; an empty, non-nil one means none.
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
	// It seeds a MemFS when FS is nil.
	Files map[string][]byte
	// FS is the guest's file system; nil is a MemFS holding Files. A DirFS
	// keeps it in a real directory.
	FS FS
	// Programs are the executables guest-exec can start, by path.
	Programs map[string]Program
	// Filesystems is how many file systems the guest has, when FileSystems
	// does not list them: the default list is cut or grown to this many.
	Filesystems int
	// FileSystems are the mounted file systems (guest-get-fsinfo); the
	// freeze commands freeze them.
	FileSystems []FileSystem
	// Interfaces are the network interfaces.
	Interfaces []Interface
	// Disks are the block devices guest-get-disks lists.
	Disks []Disk
	// DiskStats are the lines of /proc/diskstats.
	DiskStats []DiskStat
	// VCPUs are the logical processors, listed in sysfs order.
	VCPUs []VCPU
	// MemoryBlockSize is the size of a memory block, in bytes.
	MemoryBlockSize uint64
	// MemoryBlocks are the memory blocks, listed in sysfs order.
	MemoryBlocks []MemoryBlock
	// Users are the logged-in sessions; the default is none.
	Users []User
	// Accounts are the guest's users (passwd); each has a home directory in
	// FS, where ~/.ssh/authorized_keys holds its SSH keys.
	Accounts []Account
	// Timezone is the guest's local time zone; the zero value is UTC.
	Timezone Timezone
	// SuspendModes are the suspend modes the guest supports ("disk",
	// "ram", "hybrid"); the default is none, as on most VMs.
	SuspendModes []string
	// Uptime is how long the guest has been up at virtual time zero; the
	// CPU statistics count from boot.
	Uptime time.Duration
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

// Program is an executable in the simulated guest with a fixed result.
type Program struct {
	RunTime  time.Duration // how long it runs, in virtual time
	ExitCode int
	Signal   int // killed by this signal instead of exiting (ExitCode is then unused)
	Stdout   []byte
	Stderr   []byte
}

// DefaultVersion is the version of the real agent this simulator follows.
const DefaultVersion = "7.2.22"

// DefaultOS is the default guest's system: Debian 12 with its kernel.
func DefaultOS() OSInfo {
	return OSInfo{
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

func (c Config) withDefaults() Config {
	if c.Version == "" {
		c.Version = DefaultVersion
	}
	if c.HostName == "" {
		c.HostName = "debian"
	}
	if c.OS == (OSInfo{}) {
		c.OS = DefaultOS()
	}
	c.guestDefaults()
	if c.BootEpoch == 0 {
		c.BootEpoch = 1_764_000_000_000_000_000 // 2025-11-24, a fixed point for determinism
	}
	if c.FirstPID == 0 {
		c.FirstPID = 1234
	}
	return c
}
