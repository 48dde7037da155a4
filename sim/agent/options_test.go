package agent

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// dumpCase is a qemu-ga configuration: a key file (or none) and options.
type dumpCase struct {
	name   string
	config string // "" for no key file
	args   []string
}

var dumpCases = []dumpCase{
	{"defaults", "", nil},
	{"test-qga-config", "[general]\ndaemon=false\nmethod=virtio-serial\npath=/path/to/org.qemu.guest_agent.0\n" +
		"pidfile=/var/foo/qemu-ga.pid\nstatedir=/var/state\nverbose=true\nblock-rpcs=guest-ping,guest-get-time\n", nil},
	{"semicolons-are-one-name", "[general]\nblock-rpcs=guest-ping;guest-get-time\n", []string{"-b", "guest-info"}},
	{"deprecated-blacklist", "[general]\nblacklist=guest-ping,guest-info\n", nil},
	{"block-lists-reversed", "", []string{"-b", "guest-ping,guest-info,guest-get-time", "-b", "a,b"}},
	{"unix-listen", "", []string{"-m", "unix-listen", "-p", "/run/x.sock", "-t", "/st", "-v"}},
	{"isa-serial-default-path", "[general]\nmethod=isa-serial\n", nil},
	{"everything", "", []string{"-d", "-l", "/tmp/log", "-f", "/p", "-F", "-t", "/st", "-v", "-r"}},
	{"hook-path", "", []string{"-F/x/hook"}},
	{"bool-forms", "[general]\nverbose=1\nretry-path=0\ndaemon=true \n", nil},
	{"escapes-and-blanks", "# comment\n  [general]  \n  path =   a\\tb\\\\c\\s \r\nstatedir=\\s\\slead\n[other]\nmethod=x\n[general]\nlogfile=/l\n", nil},
	{"unknown-keys-ignored", "[general]\nfrobnicate=yes\n[x]\nmethod=isa-serial\n", nil},
	{"bogus-method-dumps", "", []string{"-m", "bogus", "-p", "x"}},
}

// options builds the simulator's Options the way the agent command does:
// the key file, then the command line.
func (c dumpCase) options(t *testing.T) Options {
	var o Options
	if c.config != "" {
		if _, err := o.LoadConfig("test.conf", []byte(c.config)); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
	}
	args := c.args
	for i := 0; i < len(args); i++ {
		a := args[i]
		next := func() string { i++; return args[i] }
		switch {
		case a == "-b":
			o.Block(next())
		case a == "-m":
			o.Method = next()
		case a == "-p":
			o.Path = next()
		case a == "-t":
			o.StateDir = next()
		case a == "-l":
			o.LogFile = next()
		case a == "-f":
			o.PidFile = next()
		case a == "-v":
			o.Verbose = true
		case a == "-r":
			o.RetryPath = true
		case a == "-d":
			o.Daemonize = true
		case a == "-F":
			o.FsfreezeHook = DefaultFsfreezeHook
		case strings.HasPrefix(a, "-F"):
			o.FsfreezeHook = a[2:]
		default:
			t.Fatalf("%s: option %s", c.name, a)
		}
	}
	if err := o.Finish(); err != nil {
		t.Fatalf("%s: %v", c.name, err)
	}
	return o
}

// TestDumpConfAgainstRealAgent: qemu-ga -D and Options.Dump give the same
// bytes for the same configuration.
func TestDumpConfAgainstRealAgent(t *testing.T) {
	bin := qemuGAPath(t)
	dir := t.TempDir()
	for _, c := range dumpCases {
		cmd := exec.Command(bin, append([]string{"-D"}, c.args...)...)
		cmd.Env = []string{"QGA_CONF=" + filepath.Join(dir, "none")}
		if c.config != "" {
			conf := filepath.Join(dir, c.name+".conf")
			if err := os.WriteFile(conf, []byte(c.config), 0o600); err != nil {
				t.Fatal(err)
			}
			cmd.Env = []string{"QGA_CONF=" + conf}
		}
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		real, err := cmd.Output()
		if err != nil {
			t.Fatalf("%s: qemu-ga -D: %v: %s", c.name, err, stderr.String())
		}
		o := c.options(t)
		if got := o.Dump(); !bytes.Equal(got, real) {
			t.Errorf("%s:\n sim: %q\nreal: %q", c.name, got, real)
		}
	}
}

func TestLoadConfigErrors(t *testing.T) {
	for _, c := range []struct{ conf, want string }{
		{"garbage line\n", "x.conf:1: \"garbage line\" is not a key-value pair"},
		{"[general]\ndaemon=maybe\n", `"maybe" is not a boolean`},
		{"[general]\nverbose=TRUE\n", `"TRUE" is not a boolean`},
		{"key=1\n[general]\n", "x.conf:1: a key before the first group"},
		{"[general]\n=x\n", "x.conf:2:"},
		{"[]\n", "invalid group name"},
		{"[general]\npath=a\\q\n", "invalid escape sequence"},
		{"[general]\npath=a\\\n", "escape character at the end"},
	} {
		var o Options
		_, err := o.LoadConfig("x.conf", []byte(c.conf))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: error %v, want it to contain %q", c.conf, err, c.want)
		}
	}
	var o Options
	warn, err := o.LoadConfig("x.conf", []byte("[general]\nblacklist=a\n"))
	if err != nil || len(warn) != 1 || !strings.Contains(warn[0], "deprecated 'blacklist'") {
		t.Errorf("blacklist: %v %v", warn, err)
	}
	if err := (&Options{Method: "unix-listen"}).Finish(); err == nil || !strings.Contains(err.Error(), "must specify a path") {
		t.Errorf("unix-listen without a path: %v", err)
	}
}

// osReleaseCases are os-release files as a user might write them, odd ones
// included; the real agent decides what each gives.
var osReleaseCases = []string{
	"ID=qemu-ga-test\nNAME=QEMU-GA\nPRETTY_NAME=\"QEMU Guest Agent test\"\nVERSION=\"Test 1\"\nVERSION_ID=1\n" +
		"VARIANT=\"Unit test \\\"\\'\\$\\`\\\\ and \\\\\\\\ etc.\"\nVARIANT_ID=\"unit-test\"\n",
	"ID=a\nbad line\nNAME=b\n",
	"# c\n  ID = x y \nNAME=\"unterminated\nVERSION='sq \\\\ x'\n",
	"ID=x\r\nNAME=y;z w\r\n",
	"ID=1\nID=2\n",
	"ID=a\n[grp]\nNAME=n\n",
	"KEY WITH SPACE=1\nID=k\n",
	"=x\nID=k\n",
	"ID=\"a\\nb\"\nNAME=\"x\\\\\"\n",
	"ID= \"q\" \nNAME='s'\n",
	"ID=\xc3\x28\n",
	"ID=caf\xc3\xa9\n",
	"ID=a\\\nNAME=b\n",
	"ID=\"a\" tail\nVERSION_ID=\"\\\n",
}

// TestOSReleaseAgainstRealAgent: guest-get-osinfo of the real agent with
// QGA_OS_RELEASE pointing at a file, and of the simulated one with
// ParseOSRelease's reading of the same file.
func TestOSReleaseAgainstRealAgent(t *testing.T) {
	bin := qemuGAPath(t)
	for i, content := range osReleaseCases {
		path := filepath.Join(t.TempDir(), "os-release")
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		t.Setenv("QGA_OS_RELEASE", path)
		req := []byte(`{"execute":"guest-get-osinfo"}`)
		s := &session{name: "os-release", conns: [][][]byte{{req}}, timeout: 10e9}
		cfg := localConfig()
		info, ok := ParseOSRelease([]byte(content))
		os := OSInfo{KernelRelease: cfg.OS.KernelRelease, KernelVersion: cfg.OS.KernelVersion, Machine: cfg.OS.Machine}
		if ok {
			info.KernelRelease, info.KernelVersion, info.Machine = os.KernelRelease, os.KernelVersion, os.Machine
			os = info
		}
		cfg.OS = os
		var sim []byte
		for _, r := range New(cfg, nil).Feed(0, req) {
			sim = append(sim, r.Bytes...)
		}
		real := s.real(t, bin, [][]byte{sim})[0]
		if !bytes.Equal(sim, real) {
			t.Errorf("case %d %q:\n sim: %q\nreal: %q", i, content, sim, real)
		}
	}
}
