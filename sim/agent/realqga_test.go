package agent

import (
	"errors"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/qgasim/qgasim/internal/realqga"
)

// This file runs the real qemu-ga 7.2 for the differential tests. The agent
// runs as whoever runs the tests, often root: the cases and the fuzzer never
// send it a command that acts on the machine (see unsafeCommands).

// qemuGAPath finds the real agent. Where it is missing the test fails in CI
// (CI=true) and is skipped elsewhere.
func qemuGAPath(t testing.TB) string {
	t.Helper()
	return realqga.Path(t)
}

// realSlots limits how many real agents run at once: each case starts its
// own, and a few at a time keep the machine responsive.
var realSlots = make(chan struct{}, 6)

// unsafeCommands act on the machine the real agent runs on. No case or fuzz
// stream may make the real agent dispatch one of them; the harness checks
// every stream against the simulated agent before the real one sees it.
var unsafeCommands = map[string]bool{
	"guest-shutdown": true, "guest-suspend-disk": true, "guest-suspend-ram": true,
	"guest-suspend-hybrid": true, "guest-fsfreeze-freeze": true, "guest-fsfreeze-freeze-list": true,
	"guest-fsfreeze-thaw": true, "guest-set-time": true, "guest-set-user-password": true,
	"guest-set-vcpus": true, "guest-set-memory-blocks": true, "guest-ssh-add-authorized-keys": true,
	"guest-ssh-remove-authorized-keys": true, "guest-ssh-get-authorized-keys": true, "guest-fstrim": true,
}

type realOpts struct {
	blocked string // -b list
	frozen  bool   // qga.state.isfrozen present at start
}

// realAgent is one qemu-ga process with a fresh state directory.
type realAgent struct{ *realqga.Agent }

// startRealAgent starts qemu-ga -m unix-listen in a new temporary directory.
func startRealAgent(t testing.TB, bin string, o realOpts) *realAgent {
	t.Helper()
	return &realAgent{realqga.Start(t, bin, realqga.Options{Blocked: o.blocked, Frozen: o.frozen})}
}

// dial connects, retrying while the agent starts up or re-arms its listener.
func (r *realAgent) dial(t testing.TB) *realConn {
	t.Helper()
	rc := &realConn{c: r.Dial(t), more: make(chan struct{}, 1), done: make(chan struct{})}
	go rc.read()
	return rc
}

// realConn is one client connection; a goroutine collects what arrives.
type realConn struct {
	c    net.Conn
	mu   sync.Mutex
	got  []byte
	more chan struct{}
	done chan struct{}
}

func (c *realConn) read() {
	defer close(c.done)
	buf := make([]byte, 1<<16)
	for {
		n, err := c.c.Read(buf)
		if n > 0 {
			c.mu.Lock()
			c.got = append(c.got, buf[:n]...)
			c.mu.Unlock()
			select {
			case c.more <- struct{}{}:
			default:
			}
		}
		if err != nil {
			return
		}
	}
}

func (c *realConn) received() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.got)
}

// The waits. The real agent answers within microseconds, so instead of a
// fixed pause per case the harness reads until it has as many bytes as the
// simulated agent wrote and then waits a short grace for anything extra.
const (
	writePause   = 3 * time.Millisecond   // between two writes, so that each is its own read
	graceExtra   = 60 * time.Millisecond  // after the expected bytes arrived
	silentWait   = 120 * time.Millisecond // when the simulated agent wrote nothing
	bigWriteWait = 40 * time.Millisecond  // added per MiB written
)

// collect waits for at least want bytes (or the timeout), then the grace,
// and returns everything received.
func (c *realConn) collect(want int, timeout time.Duration, written int) []byte {
	extra := time.Duration(written>>20) * bigWriteWait
	if want == 0 {
		time.Sleep(silentWait + extra)
	} else {
		deadline := time.NewTimer(timeout)
		defer deadline.Stop()
	wait:
		for c.received() < want {
			select {
			case <-c.more:
			case <-c.done:
				break wait
			case <-deadline.C:
				break wait
			}
		}
		time.Sleep(graceExtra)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]byte(nil), c.got...)
}

// write sends one write, all of it.
func (c *realConn) write(b []byte) error {
	_, err := c.c.Write(b)
	if errors.Is(err, syscall.EPIPE) {
		return nil // the agent went away; what it sent is what counts
	}
	return err
}

func (c *realConn) close() {
	c.c.Close()
	<-c.done
}

// localConfig is the simulated agent configured as this machine, so that
// guest-get-host-name and guest-get-osinfo can be compared byte for byte.
var localConfig = sync.OnceValue(func() Config {
	var cfg Config
	cfg.HostName, _ = os.Hostname()
	var u syscall.Utsname
	if syscall.Uname(&u) == nil {
		cfg.OS.KernelRelease = utsString(u.Release[:])
		cfg.OS.KernelVersion = utsString(u.Version[:])
		cfg.OS.Machine = utsString(u.Machine[:])
	}
	for _, p := range []string{"/etc/os-release", "/usr/lib/os-release"} {
		data, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		if info, ok := ParseOSRelease(data); ok {
			info.KernelRelease, info.KernelVersion, info.Machine = cfg.OS.KernelRelease, cfg.OS.KernelVersion, cfg.OS.Machine
			cfg.OS = info
		}
		break
	}
	cfg.Timezone.Zone, cfg.Timezone.Offset = time.Now().Zone()
	cfg.VCPUs = sysfsVCPUs()
	cfg.MemoryBlockSize, cfg.MemoryBlocks = sysfsMemory()
	return cfg
})

// sysfsVCPUs reads this machine's processors as the real agent does: a
// processor without an "online" switch is online and cannot go offline.
func sysfsVCPUs() []VCPU {
	var cpus []VCPU
	names, _ := filepath.Glob("/sys/devices/system/cpu/cpu[0-9]*")
	for _, n := range names {
		id, err := strconv.ParseInt(strings.TrimPrefix(filepath.Base(n), "cpu"), 10, 64)
		if err != nil {
			continue
		}
		c := VCPU{ID: id, Online: true}
		if b, err := os.ReadFile(filepath.Join(n, "online")); err == nil {
			c.Online, c.CanOffline = strings.TrimSpace(string(b)) != "0", true
		}
		cpus = append(cpus, c)
	}
	return cpus
}

// sysfsMemory reads this machine's memory blocks (none where sysfs does
// not show them).
func sysfsMemory() (uint64, []MemoryBlock) {
	const dir = "/sys/devices/system/memory"
	size := uint64(128 << 20)
	if b, err := os.ReadFile(filepath.Join(dir, "block_size_bytes")); err == nil {
		if v, err := strconv.ParseUint(strings.TrimSpace(string(b)), 16, 64); err == nil {
			size = v
		}
	}
	blocks := []MemoryBlock{}
	names, _ := filepath.Glob(filepath.Join(dir, "memory[0-9]*"))
	for _, n := range names {
		idx, err := strconv.ParseUint(strings.TrimPrefix(filepath.Base(n), "memory"), 10, 64)
		if err != nil {
			continue
		}
		state, _ := os.ReadFile(filepath.Join(n, "state"))
		removable, err := os.ReadFile(filepath.Join(n, "removable"))
		blocks = append(blocks, MemoryBlock{Index: idx, Online: strings.HasPrefix(string(state), "online"),
			CanOffline: err == nil && strings.TrimSpace(string(removable)) != "0"})
	}
	return size, blocks
}

// utsString reads a NUL-terminated uname field (int8 or uint8 by platform).
func utsString[T int8 | uint8](b []T) string {
	var s []byte
	for _, c := range b {
		if c == 0 {
			break
		}
		s = append(s, byte(c))
	}
	return string(s)
}
