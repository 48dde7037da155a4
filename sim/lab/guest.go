package lab

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"time"
)

// Socket names in the guest's directory.
const (
	VirtioSock  = "qga.sock" // virtio-serial port org.qemu.guest_agent.0
	ISASock     = "isa.sock" // the 16550 isa-serial, ttyS1 in the guest
	ctlSock     = "ctl.sock" // virtio-serial port "ctl": the control shell
	monitorSock = "mon.sock" // the QEMU monitor, for a clean quit
	consoleLog  = "console.log"
)

// Options say how to boot a guest.
type Options struct {
	Dir     string        // work directory: initramfs, sockets, console log
	Verbose bool          // run qemu-ga with -v (its log goes to /run/TAG.log)
	Timeout time.Duration // how long to wait for both agents; 0 means 90 s
	Logf    func(format string, args ...any)
}

// Guest is one running lab VM: QEMU under TCG with qemu-ga on a
// virtio-serial port and on an isa-serial port, and a control shell.
type Guest struct {
	Dir    string
	Host   *Host
	Ctl    *Ctl
	Booted time.Duration // QEMU start to the first reply of the virtio agent
	ISAUp  time.Duration // QEMU start to the first reply of the isa agent

	cmd  *exec.Cmd
	done chan struct{}
	err  error // QEMU's exit, valid after done is closed
	logf func(string, ...any)
}

// Boot builds the initramfs, starts QEMU and waits until both agents answer
// and the control shell runs. On error the guest is stopped again.
func Boot(ctx context.Context, h *Host, o Options) (*Guest, error) {
	if o.Timeout == 0 {
		o.Timeout = 90 * time.Second
	}
	if o.Logf == nil {
		o.Logf = func(string, ...any) {}
	}
	initrd := filepath.Join(o.Dir, "initrd.gz")
	if err := BuildInitramfs(h, initrd); err != nil {
		return nil, err
	}
	g := &Guest{Dir: o.Dir, Host: h, done: make(chan struct{}), logf: o.Logf}
	appendLine := "console=ttyS0 quiet panic=1"
	if o.Verbose {
		appendLine += " lab.verbose"
	}
	p := g.Path
	args := []string{"-accel", "tcg", "-m", "256", "-smp", "1",
		"-nodefaults", "-display", "none", "-no-reboot",
		"-kernel", h.Kernel, "-initrd", initrd, "-append", appendLine,
		"-serial", "file:" + p(consoleLog),
		"-monitor", "unix:" + p(monitorSock) + ",server=on,wait=off",
		"-chardev", "socket,path=" + p(VirtioSock) + ",server=on,wait=off,id=qga0",
		"-chardev", "socket,path=" + p(ctlSock) + ",server=on,wait=off,id=ctl0",
		"-device", "virtio-serial",
		"-device", "virtserialport,chardev=qga0,name=org.qemu.guest_agent.0",
		"-device", "virtserialport,chardev=ctl0,name=ctl",
		"-chardev", "socket,path=" + p(ISASock) + ",server=on,wait=off,id=isa0",
		"-device", "isa-serial,chardev=isa0",
	}
	out, err := os.Create(p("qemu.out"))
	if err != nil {
		return nil, err
	}
	g.cmd = exec.Command(h.QEMU, args...)
	g.cmd.Stdout, g.cmd.Stderr = out, out
	start := time.Now()
	if err := g.cmd.Start(); err != nil {
		out.Close()
		return nil, fmt.Errorf("lab: start %s: %w", h.QEMU, err)
	}
	o.Logf("lab: QEMU pid %d: %s %q", g.cmd.Process.Pid, h.QEMU, args)
	go func() {
		g.err = g.cmd.Wait()
		out.Close()
		close(g.done)
	}()
	ctx, cancel := context.WithTimeout(ctx, o.Timeout)
	defer cancel()
	if err := g.waitAgents(ctx, start); err != nil {
		g.Close()
		return nil, fmt.Errorf("%w\n%s", err, g.Diagnostics())
	}
	return g, nil
}

// Path is the path of a file in the guest's work directory.
func (g *Guest) Path(name string) string { return filepath.Join(g.Dir, name) }

// ErrNoBoot says that the guest did not come up: QEMU exited, or an agent
// or the control shell did not answer in time.
var ErrNoBoot = errors.New("lab: the guest did not boot")

func (g *Guest) waitAgents(ctx context.Context, start time.Time) error {
	// The virtio request is sent before the guest runs: QEMU keeps it in
	// the socket until the agent opens the port (docs/lab.md, 0.4).
	c, err := g.dialWhenReady(ctx, VirtioSock)
	if err != nil {
		return err
	}
	defer c.Close()
	if _, err := c.Write(append([]byte{0xFF}, `{"execute":"guest-sync-delimited","arguments":{"id":4242}}`...)); err != nil {
		return fmt.Errorf("%w: %v", ErrNoBoot, err)
	}
	if _, err := readUntilCtx(ctx, g, c, []byte("{\"return\": 4242}\n")); err != nil {
		return fmt.Errorf("%w: virtio agent: %v", ErrNoBoot, err)
	}
	g.Booted = time.Since(start)
	g.logf("lab: virtio agent answered %.2f s after QEMU start", g.Booted.Seconds())

	// The isa agent flushes input that arrived before it opened the port,
	// so ask again each second, each time with a new id after a 0xFF.
	ci, err := g.dialWhenReady(ctx, ISASock)
	if err != nil {
		return err
	}
	defer ci.Close()
	for id := 9000; ; id++ {
		if ctx.Err() != nil {
			return fmt.Errorf("%w: isa agent: no reply", ErrNoBoot)
		}
		req := fmt.Sprintf("\xff{\"execute\":\"guest-sync-delimited\",\"arguments\":{\"id\":%d}}", id)
		if _, err := ci.Write([]byte(req)); err != nil {
			return fmt.Errorf("%w: isa: %v", ErrNoBoot, err)
		}
		got := recvFor(ci, time.Second, []byte("}\n"))
		if bytes.Contains(got, []byte(`{"return": `)) {
			break
		}
	}
	// Let replies to earlier tries arrive on this connection, not the next.
	recvFor(ci, 500*time.Millisecond, nil)
	g.ISAUp = time.Since(start)
	g.logf("lab: isa agent answered %.2f s after QEMU start", g.ISAUp.Seconds())

	ctl, err := dialCtl(ctx, g.Path(ctlSock))
	if err != nil {
		return fmt.Errorf("%w: control shell: %v", ErrNoBoot, err)
	}
	g.Ctl = ctl
	return nil
}

// dialWhenReady connects to a chardev socket as soon as QEMU has made it.
func (g *Guest) dialWhenReady(ctx context.Context, name string) (net.Conn, error) {
	for {
		c, err := net.Dial("unix", g.Path(name))
		if err == nil {
			return c, nil
		}
		select {
		case <-g.done:
			return nil, fmt.Errorf("%w: QEMU exited: %v", ErrNoBoot, g.err)
		case <-ctx.Done():
			return nil, fmt.Errorf("%w: %s: %v", ErrNoBoot, name, err)
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// readUntilCtx reads until want has arrived, QEMU exits or ctx ends.
func readUntilCtx(ctx context.Context, g *Guest, c net.Conn, want []byte) ([]byte, error) {
	var got []byte
	buf := make([]byte, 64<<10)
	for !bytes.Contains(got, want) {
		select {
		case <-g.done:
			return got, fmt.Errorf("QEMU exited: %v", g.err)
		default:
		}
		if ctx.Err() != nil {
			return got, fmt.Errorf("no reply (got %q)", got)
		}
		c.SetReadDeadline(time.Now().Add(100 * time.Millisecond))
		n, err := c.Read(buf)
		got = append(got, buf[:n]...)
		if err != nil && !isTimeout(err) {
			return got, err
		}
	}
	return got, nil
}

// readFor reads for d, or until the bytes read contain until (when not nil)
// or the peer closes.
func recvFor(c net.Conn, d time.Duration, until []byte) []byte {
	var got []byte
	buf := make([]byte, 256<<10)
	end := time.Now().Add(d)
	for time.Now().Before(end) {
		c.SetReadDeadline(end)
		n, err := c.Read(buf)
		got = append(got, buf[:n]...)
		if until != nil && bytes.Contains(got, until) {
			break
		}
		if err != nil {
			break
		}
	}
	return got
}

// recvN reads exactly n bytes unless d passes or the peer closes first;
// nothing beyond the n bytes is taken from the socket.
func recvN(c net.Conn, d time.Duration, n int) []byte {
	got := make([]byte, 0, n)
	end := time.Now().Add(d)
	for len(got) < n {
		c.SetReadDeadline(end)
		k, err := c.Read(got[len(got):n])
		got = got[:len(got)+k]
		if err != nil {
			break
		}
	}
	return got
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// Console returns the guest console log so far.
func (g *Guest) Console() string {
	b, _ := os.ReadFile(g.Path(consoleLog))
	return string(b)
}

// Diagnostics is what to show when something went wrong: QEMU's output, the
// end of the guest console, and the agents' logs when the shell answers.
func (g *Guest) Diagnostics() string {
	var b bytes.Buffer
	qo, _ := os.ReadFile(g.Path("qemu.out"))
	fmt.Fprintf(&b, "--- QEMU output:\n%s\n--- guest console (last 3000 B):\n%s\n", qo, tail(g.Console(), 3000))
	if g.Ctl != nil {
		if out, err := g.Ctl.Run("tail -c 2000 /run/virtio.log; tail -c 2000 /run/isa.log; ps", 5*time.Second); err == nil {
			fmt.Fprintf(&b, "--- agent logs and processes:\n%s\n", out)
		}
	}
	return b.String()
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}

// Close quits QEMU through its monitor and waits for it; if it does not
// quit in 5 s it kills the process it started (by its PID, nothing else).
func (g *Guest) Close() error {
	if g.Ctl != nil {
		g.Ctl.Close()
	}
	if m, err := net.Dial("unix", g.Path(monitorSock)); err == nil {
		m.Write([]byte("quit\n"))
		defer m.Close()
	}
	select {
	case <-g.done:
	case <-time.After(5 * time.Second):
		g.cmd.Process.Kill()
		<-g.done
	}
	return nil
}
