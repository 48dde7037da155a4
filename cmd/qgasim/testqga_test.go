package main

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/qgasim/qgasim/internal/realqga"
)

// QEMU's own unit test of the guest agent, tests/unit/test-qga.c of QEMU
// 7.2.0 (25 tests), ported as facts: each test sends what test-qga.c sends
// and checks what it checks, against the real qemu-ga and against
// `qgasim agent --listen`. As in test-qga.c most tests share one agent and
// one connection, in test-qga.c's order; blockedrpcs, config and
// guest-get-osinfo start their own. Every test the real agent passes must
// pass against qgasim, and where a reply does not depend on the machine the
// two must be the same bytes.

// qgaTarget is an agent to test: the real one or qgasim.
type qgaTarget struct {
	name string
	// start starts an agent with qemu-ga options and environment; it
	// returns the socket and the directory relative guest paths land in.
	start func(t *testing.T, args, env []string) (sock, dir string)
	// dump runs the agent's -D with an environment.
	dump func(t *testing.T, env []string) (stdout, stderr string, err error)
}

func realQGATarget(t *testing.T) qgaTarget {
	bin := realqga.Path(t)
	return qgaTarget{
		name: "qemu-ga",
		start: func(t *testing.T, args, env []string) (string, string) {
			a := realqga.Start(t, bin, realqga.Options{Args: args, Env: env})
			a.Dial(t).Close() // wait until it listens
			return a.Sock, a.Dir
		},
		dump: func(t *testing.T, env []string) (string, string, error) {
			cmd := exec.Command(bin, "-D")
			return runDump(cmd, env)
		},
	}
}

func qgasimTarget() qgaTarget {
	return qgaTarget{
		name: "qgasim",
		start: func(t *testing.T, args, env []string) (string, string) {
			dir, err := os.MkdirTemp("", "qgatest")
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { os.RemoveAll(dir) })
			sock := filepath.Join(dir, "sock")
			cmd := qgasimCmd(t, append([]string{"agent", "-m", "unix-listen", "-p", sock, "-t", dir, "--fs-root", dir}, args...)...)
			cmd.Dir = dir
			cmd.Env = append(os.Environ(), env...)
			var stderr realqga.Buffer
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			exited := make(chan struct{})
			go func() { cmd.Wait(); close(exited) }()
			t.Cleanup(func() { cmd.Process.Kill(); <-exited })
			c, err := realqga.DialRetry(sock, 10*time.Second, exited)
			if err != nil {
				t.Fatalf("qgasim agent: %v; stderr: %s", err, stderr.String())
			}
			c.Close()
			return sock, dir
		},
		dump: func(t *testing.T, env []string) (string, string, error) {
			return runDump(qgasimCmd(t, "agent", "-D"), env)
		},
	}
}

func runDump(cmd *exec.Cmd, env []string) (string, string, error) {
	cmd.Env = append(os.Environ(), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	return stdout.String(), stderr.String(), err
}

// qgaClient is test-qga.c's connection: it sends JSON and reads one
// object at a time (libqtest's qmp_fd_send / qmp_fd_receive).
type qgaClient struct {
	c   net.Conn
	r   *bufio.Reader
	raw []string // every reply, as received, for the byte comparison
}

func connectQGA(t *testing.T, sock string) *qgaClient {
	c, err := net.Dial("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return &qgaClient{c: c, r: bufio.NewReader(c)}
}

func (q *qgaClient) send(raw string) error {
	q.c.SetWriteDeadline(time.Now().Add(10 * time.Second))
	_, err := q.c.Write([]byte(raw))
	return err
}

// receive reads the next JSON object: skips blanks, then reads to the brace
// that closes the first one.
func (q *qgaClient) receive() (map[string]any, error) {
	q.c.SetReadDeadline(time.Now().Add(10 * time.Second))
	var buf []byte
	depth, inStr, esc := 0, false, false
	for {
		b, err := q.r.ReadByte()
		if err != nil {
			return nil, fmt.Errorf("reading a reply: %w (after %q)", err, buf)
		}
		if depth == 0 && b != '{' {
			continue
		}
		buf = append(buf, b)
		switch {
		case inStr && esc:
			esc = false
		case inStr && b == '\\':
			esc = true
		case b == '"':
			inStr = !inStr
		case !inStr && b == '{':
			depth++
		case !inStr && b == '}':
			depth--
		}
		if depth == 0 {
			break
		}
	}
	q.raw = append(q.raw, string(buf))
	dec := json.NewDecoder(bytes.NewReader(buf))
	dec.UseNumber()
	var m map[string]any
	return m, dec.Decode(&m)
}

// qmp sends a request and reads its reply (libqtest's qmp_fd).
func (q *qgaClient) qmp(format string, a ...any) (map[string]any, error) {
	if err := q.send(fmt.Sprintf(format, a...)); err != nil {
		return nil, err
	}
	return q.receive()
}

// Helpers in the words of test-qga.c.

func noError(ret map[string]any) error {
	if e, ok := ret["error"]; ok {
		return fmt.Errorf("assertion failed: error %v", e)
	}
	return nil
}

func errorOf(ret map[string]any) (class, desc string, err error) {
	e, ok := ret["error"].(map[string]any)
	if !ok {
		return "", "", fmt.Errorf("no error in %v", ret)
	}
	class, _ = e["class"].(string)
	desc, _ = e["desc"].(string)
	return class, desc, nil
}

func getInt(d map[string]any, key string) (int64, error) {
	n, ok := d[key].(json.Number)
	if !ok {
		return 0, fmt.Errorf("%q is not a number in %v", key, d)
	}
	return n.Int64()
}

func getDict(d map[string]any, key string) (map[string]any, error) {
	v, ok := d[key].(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%q is not an object in %v", key, d)
	}
	return v, nil
}

func firstOf(ret map[string]any) (map[string]any, bool, error) {
	l, ok := ret["return"].([]any)
	if !ok {
		return nil, false, fmt.Errorf("return is not a list: %v", ret)
	}
	if len(l) == 0 {
		return nil, false, nil
	}
	e, ok := l[0].(map[string]any)
	if !ok {
		return nil, false, fmt.Errorf("not an object: %v", l[0])
	}
	return e, true, nil
}

func hasKeys(d map[string]any, keys ...string) error {
	for _, k := range keys {
		if _, ok := d[k]; !ok {
			return fmt.Errorf("no %q in %v", k, d)
		}
	}
	return nil
}

func expect(ok bool, format string, a ...any) error {
	if !ok {
		return fmt.Errorf(format, a...)
	}
	return nil
}

// qgaEnv is what a test needs besides its connection.
type qgaEnv struct {
	t       *testing.T
	target  qgaTarget
	dir     string // the shared agent's directory (guest-file's 'foo')
	version string // the version the agent must report
	replies []string
}

// qgaTest is one test of test-qga.c.
type qgaTest struct {
	name   string
	shared bool // on the shared connection
	run    func(e *qgaEnv, q *qgaClient) error
	// same: the replies are the same bytes from both agents
	same bool
}

const helloWorld = "Hello World!\n\x00" // test-qga.c's helloworld[], with its NUL

var qgaTests = []qgaTest{
	{name: "sync-delimited", shared: true, run: func(e *qgaEnv, q *qgaClient) error {
		r := rand.Uint32()
		if err := q.send("\xff"); err != nil {
			return err
		}
		if err := q.send(fmt.Sprintf(`{"execute": "guest-sync-delimited", "arguments": {"id": %d}}`, r)); err != nil {
			return err
		}
		for { // read and ignore garbage until resynchronized
			b, err := q.r.ReadByte()
			if err != nil {
				return err
			}
			if b == 0xff {
				break
			}
		}
		ret, err := q.receive()
		if err != nil {
			return err
		}
		if err := noError(ret); err != nil {
			return err
		}
		v, err := getInt(ret, "return")
		return firstErr(err, expect(v == int64(r), "return %d, want %d", v, r))
	}},
	{name: "sync", shared: true, run: func(e *qgaEnv, q *qgaClient) error {
		r := rand.Uint32()
		ret, err := q.qmp(`{"execute": "guest-sync", "arguments": {"id": %d}}`, r)
		if err != nil {
			return err
		}
		v, err := getInt(ret, "return")
		return firstErr(noError(ret), err, expect(v == int64(r), "return %d, want %d", v, r))
	}},
	{name: "ping", shared: true, same: true, run: func(e *qgaEnv, q *qgaClient) error {
		ret, err := q.qmp(`{"execute": "guest-ping"}`)
		return firstErr(err, noError(ret))
	}},
	{name: "info", shared: true, run: func(e *qgaEnv, q *qgaClient) error {
		ret, err := q.qmp(`{"execute": "guest-info"}`)
		if err != nil {
			return err
		}
		val, err := getDict(ret, "return")
		if err != nil {
			return err
		}
		return firstErr(noError(ret), expect(val["version"] == e.version, "version %v, want %s", val["version"], e.version))
	}},
	{name: "network-get-interfaces", shared: true, run: func(e *qgaEnv, q *qgaClient) error {
		ret, err := q.qmp(`{"execute": "guest-network-get-interfaces"}`)
		if err != nil {
			return err
		}
		first, ok, err := firstOf(ret)
		if err != nil {
			return err
		}
		return firstErr(noError(ret), expect(ok, "no interface"), hasKeys(first, "name"))
	}},
	{name: "get-vcpus", shared: true, run: func(e *qgaEnv, q *qgaClient) error {
		ret, err := q.qmp(`{"execute": "guest-get-vcpus"}`)
		if err != nil {
			return err
		}
		first, ok, err := firstOf(ret)
		if err != nil {
			return err
		}
		return firstErr(noError(ret), expect(ok, "no vcpu"), hasKeys(first, "online", "logical-id"))
	}},
	{name: "get-fsinfo", shared: true, run: func(e *qgaEnv, q *qgaClient) error {
		ret, err := q.qmp(`{"execute": "guest-get-fsinfo"}`)
		if err != nil {
			return err
		}
		first, ok, err := firstOf(ret)
		if err != nil || !ok {
			return firstErr(noError(ret), err)
		}
		return firstErr(noError(ret), hasKeys(first, "name", "mountpoint", "type", "disk"))
	}},
	{name: "get-memory-block-info", shared: true, run: func(e *qgaEnv, q *qgaClient) error {
		ret, err := q.qmp(`{"execute": "guest-get-memory-block-info"}`)
		if err != nil || ret["error"] != nil {
			return err // some systems do not show memory blocks in sysfs
		}
		val, err := getDict(ret, "return")
		if err != nil {
			return err
		}
		size, err := getInt(val, "size")
		return firstErr(err, expect(size > 0, "size %d", size))
	}},
	{name: "get-memory-blocks", shared: true, run: func(e *qgaEnv, q *qgaClient) error {
		ret, err := q.qmp(`{"execute": "guest-get-memory-blocks"}`)
		if err != nil || ret["error"] != nil {
			return err
		}
		first, ok, err := firstOf(ret)
		if err != nil || !ok {
			return err
		}
		return hasKeys(first, "phys-index", "online")
	}},
	{name: "file-ops", shared: true, same: true, run: testFileOps},
	{name: "file-write-read", shared: true, same: true, run: testFileWriteRead},
	{name: "get-time", shared: true, run: func(e *qgaEnv, q *qgaClient) error {
		ret, err := q.qmp(`{"execute": "guest-get-time"}`)
		if err != nil {
			return err
		}
		v, err := getInt(ret, "return")
		return firstErr(noError(ret), err, expect(v > 0, "time %d", v))
	}},
	{name: "id", shared: true, same: true, run: func(e *qgaEnv, q *qgaClient) error {
		ret, err := q.qmp(`{"execute": "guest-ping", "id": 1}`)
		if err != nil {
			return err
		}
		id, err := getInt(ret, "id")
		return firstErr(noError(ret), err, expect(id == 1, "id %d", id))
	}},
	{name: "invalid-oob", shared: true, same: true, run: func(e *qgaEnv, q *qgaClient) error {
		ret, err := q.qmp(`{"exec-oob": "guest-ping"}`)
		if err != nil {
			return err
		}
		class, _, err := errorOf(ret)
		return firstErr(err, expect(class == "GenericError", "class %s", class))
	}},
	{name: "invalid-cmd", shared: true, same: true, run: func(e *qgaEnv, q *qgaClient) error {
		ret, err := q.qmp(`{"execute": "guest-invalid-cmd"}`)
		if err != nil {
			return err
		}
		class, desc, err := errorOf(ret)
		return firstErr(err, expect(class == "CommandNotFound" && desc != "", "%s %q", class, desc))
	}},
	{name: "invalid-args", shared: true, same: true, run: func(e *qgaEnv, q *qgaClient) error {
		ret, err := q.qmp(`{"execute": "guest-ping", "arguments": {"foo": 42}}`)
		if err != nil {
			return err
		}
		class, desc, err := errorOf(ret)
		return firstErr(err, expect(class == "GenericError" && desc == "Parameter 'foo' is unexpected", "%s %q", class, desc))
	}},
	{name: "fsfreeze-status", shared: true, same: true, run: func(e *qgaEnv, q *qgaClient) error {
		ret, err := q.qmp(`{"execute": "guest-fsfreeze-status"}`)
		if err != nil {
			return err
		}
		return firstErr(noError(ret), expect(ret["return"] == "thawed", "status %v", ret["return"]))
	}},
	{name: "blacklist", same: true, run: func(e *qgaEnv, _ *qgaClient) error {
		sock, _ := e.target.start(e.t, []string{"-b", "guest-ping,guest-get-time"}, nil)
		q := connectQGA(e.t, sock)
		for _, cmd := range []string{"guest-ping", "guest-get-time"} {
			ret, err := q.qmp(`{"execute": %q}`, cmd)
			if err != nil {
				return err
			}
			class, desc, err := errorOf(ret)
			if err := firstErr(err, expect(class == "CommandNotFound" && strings.Contains(desc, "has been disabled"),
				"%s: %s %q", cmd, class, desc)); err != nil {
				return err
			}
		}
		ret, err := q.qmp(`{"execute": "guest-get-fsinfo"}`)
		e.replies = append(e.replies, q.raw[:2]...) // the fsinfo is the machine's
		return firstErr(err, noError(ret))
	}},
	{name: "config", same: true, run: testConfig},
	{name: "guest-exec", shared: true, run: func(e *qgaEnv, q *qgaClient) error {
		ret, err := q.qmp(`{"execute": "guest-exec", "arguments": {"path": "/bin/echo", "arg": ["-n", "\" test_str \""], "capture-output": true}}`)
		if err != nil {
			return err
		}
		val, err := getDict(ret, "return")
		if err != nil {
			return firstErr(noError(ret), err)
		}
		pid, err := getInt(val, "pid")
		if err := firstErr(err, expect(pid > 0, "pid %d", pid)); err != nil {
			return err
		}
		deadline := time.Now().Add(5 * time.Second) // wait for completion
		for {
			if ret, err = q.qmp(`{"execute": "guest-exec-status", "arguments": {"pid": %d}}`, pid); err != nil {
				return err
			}
			if val, err = getDict(ret, "return"); err != nil {
				return err
			}
			if val["exited"] == true || time.Now().After(deadline) {
				break
			}
		}
		if val["exited"] != true {
			return errors.New("not exited after 5 s")
		}
		code, err := getInt(val, "exitcode")
		out, _ := val["out-data"].(string)
		decoded, derr := base64.StdEncoding.DecodeString(out)
		return firstErr(err, derr, expect(code == 0, "exitcode %d", code),
			expect(string(decoded) == `" test_str "`, "out-data %q", decoded))
	}},
	{name: "guest-exec-invalid", shared: true, same: true, run: func(e *qgaEnv, q *qgaClient) error {
		for _, req := range []string{
			`{"execute": "guest-exec", "arguments": {"path": "/bin/invalid-cmd42"}}`,
			`{"execute": "guest-exec-status", "arguments": {"pid": 0}}`,
		} {
			ret, err := q.qmp("%s", req)
			if err != nil {
				return err
			}
			class, desc, err := errorOf(ret)
			if err := firstErr(err, expect(class == "GenericError" && desc != "", "%s %q", class, desc)); err != nil {
				return err
			}
		}
		return nil
	}},
	{name: "guest-get-osinfo", run: testOSInfo},
	{name: "guest-get-host-name", shared: true, run: func(e *qgaEnv, q *qgaClient) error {
		ret, err := q.qmp(`{"execute": "guest-get-host-name"}`)
		if err != nil {
			return err
		}
		val, err := getDict(ret, "return")
		return firstErr(noError(ret), err, hasKeys(val, "host-name"))
	}},
	{name: "guest-get-timezone", shared: true, run: func(e *qgaEnv, q *qgaClient) error {
		ret, err := q.qmp(`{"execute": "guest-get-timezone"}`)
		if err != nil {
			return err
		}
		val, err := getDict(ret, "return")
		return firstErr(noError(ret), err, hasKeys(val, "offset"))
	}},
	{name: "guest-get-users", shared: true, run: func(e *qgaEnv, q *qgaClient) error {
		ret, err := q.qmp(`{"execute": "guest-get-users"}`)
		if err != nil {
			return err
		}
		_, ok := ret["return"].([]any)
		return firstErr(noError(ret), expect(ok, "return is not a list: %v", ret))
	}},
}

func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// writeHello opens "foo" with w+ and writes helloWorld to it, checking
// what test-qga.c checks; it returns the handle and the base64 written.
func writeHello(q *qgaClient) (int64, string, error) {
	enc := base64.StdEncoding.EncodeToString([]byte(helloWorld))
	ret, err := q.qmp(`{"execute": "guest-file-open", "arguments": {"path": "foo", "mode": "w+"}}`)
	if err != nil {
		return 0, enc, err
	}
	id, err := getInt(ret, "return")
	if err := firstErr(noError(ret), err); err != nil {
		return 0, enc, err
	}
	if ret, err = q.qmp(`{"execute": "guest-file-write", "arguments": {"handle": %d, "buf-b64": %q}}`, id, enc); err != nil {
		return 0, enc, err
	}
	return id, enc, checkCountEOF(ret, len(helloWorld), false)
}

// testFileOps is test-qga.c's file-ops: write "foo", check it on disk, read
// it back, read at the end, seek, read the rest.
func testFileOps(e *qgaEnv, q *qgaClient) error {
	id, enc, err := writeHello(q)
	if err != nil {
		return err
	}
	var ret map[string]any
	if _, err = q.qmp(`{"execute": "guest-file-flush", "arguments": {"handle": %d}}`, id); err != nil {
		return err
	}
	if _, err = q.qmp(`{"execute": "guest-file-close", "arguments": {"handle": %d}}`, id); err != nil {
		return err
	}
	content, err := os.ReadFile(filepath.Join(e.dir, "foo"))
	if err := firstErr(err, expect(string(content) == helloWorld, "foo holds %q", content)); err != nil {
		return err
	}
	if ret, err = q.qmp(`{"execute": "guest-file-open", "arguments": {"path": "foo", "mode": "r"}}`); err != nil {
		return err
	}
	if id, err = getInt(ret, "return"); err != nil {
		return firstErr(noError(ret), err)
	}
	for _, want := range []struct {
		count int
		b64   string
	}{{len(helloWorld), enc}, {0, ""}} {
		if ret, err = q.qmp(`{"execute": "guest-file-read", "arguments": {"handle": %d}}`, id); err != nil {
			return err
		}
		if err := checkRead(ret, want.count, true, want.b64); err != nil {
			return err
		}
	}
	if ret, err = q.qmp(`{"execute": "guest-file-seek", "arguments": {"handle": %d, "offset": %d, "whence": "set"}}`, id, 6); err != nil {
		return err
	}
	if err := checkSeek(ret, 6); err != nil {
		return err
	}
	if ret, err = q.qmp(`{"execute": "guest-file-read", "arguments": {"handle": %d}}`, id); err != nil {
		return err
	}
	if err := checkRead(ret, len(helloWorld)-6, true, base64.StdEncoding.EncodeToString([]byte(helloWorld[6:]))); err != nil {
		return err
	}
	_, err = q.qmp(`{"execute": "guest-file-close", "arguments": {"handle": %d}}`, id)
	return err
}

// testFileWriteRead is test-qga.c's file-write-read: after a write the
// position is at the end (the implicit flush), a seek to 0 reads it all.
func testFileWriteRead(e *qgaEnv, q *qgaClient) error {
	id, enc, err := writeHello(q)
	if err != nil {
		return err
	}
	var ret map[string]any
	if ret, err = q.qmp(`{"execute": "guest-file-read", "arguments": {"handle": %d}}`, id); err != nil {
		return err
	}
	if err := checkRead(ret, 0, true, ""); err != nil {
		return err
	}
	if ret, err = q.qmp(`{"execute": "guest-file-seek", "arguments": {"handle": %d, "offset": %d, "whence": "set"}}`, id, 0); err != nil {
		return err
	}
	if err := checkSeek(ret, 0); err != nil {
		return err
	}
	if ret, err = q.qmp(`{"execute": "guest-file-read", "arguments": {"handle": %d}}`, id); err != nil {
		return err
	}
	if err := checkRead(ret, len(helloWorld), true, enc); err != nil {
		return err
	}
	_, err = q.qmp(`{"execute": "guest-file-close", "arguments": {"handle": %d}}`, id)
	return err
}

func checkCountEOF(ret map[string]any, count int, eof bool) error {
	val, err := getDict(ret, "return")
	if err != nil {
		return firstErr(noError(ret), err)
	}
	n, err := getInt(val, "count")
	return firstErr(err, expect(n == int64(count) && val["eof"] == eof, "count %d eof %v", n, val["eof"]))
}

func checkRead(ret map[string]any, count int, eof bool, b64 string) error {
	if err := checkCountEOF(ret, count, eof); err != nil {
		return err
	}
	val, _ := getDict(ret, "return")
	return expect(val["buf-b64"] == b64, "buf-b64 %v, want %q", val["buf-b64"], b64)
}

func checkSeek(ret map[string]any, pos int) error {
	if err := noError(ret); err != nil {
		return err
	}
	val, err := getDict(ret, "return")
	if err != nil {
		return err
	}
	n, err := getInt(val, "position")
	return firstErr(err, expect(n == int64(pos) && val["eof"] == false, "position %d eof %v", n, val["eof"]))
}

// testConfigData is test-qga.c's tests/data/test-qga-config.
const testConfigData = `[general]
daemon=false
method=virtio-serial
path=/path/to/org.qemu.guest_agent.0
pidfile=/var/foo/qemu-ga.pid
statedir=/var/state
verbose=true
block-rpcs=guest-ping;guest-get-time
`

// testConfig is test-qga.c's config: -D with QGA_CONF, nothing on stderr,
// exit 0, and the key file it prints holds what the configuration said.
func testConfig(e *qgaEnv, _ *qgaClient) error {
	conf := filepath.Join(e.t.TempDir(), "test-qga-config")
	if err := os.WriteFile(conf, []byte(testConfigData), 0o600); err != nil {
		return err
	}
	out, stderr, err := e.target.dump(e.t, []string{"QGA_CONF=" + conf})
	if err := firstErr(err, expect(stderr == "", "stderr %q", stderr)); err != nil {
		return err
	}
	e.replies = append(e.replies, out)
	if !strings.HasPrefix(out, "[general]\n") {
		return fmt.Errorf("the start group is not general: %q", out)
	}
	kv := map[string]string{}
	for _, line := range strings.Split(out, "\n")[1:] {
		if k, v, ok := strings.Cut(line, "="); ok {
			kv[k] = v
		}
	}
	list := strings.Split(strings.TrimSuffix(kv["block-rpcs"], ";"), ";") // a GKeyFile string list
	return firstErr(
		expect(kv["daemon"] == "false", "daemon %q", kv["daemon"]),
		expect(kv["method"] == "virtio-serial", "method %q", kv["method"]),
		expect(kv["path"] == "/path/to/org.qemu.guest_agent.0", "path %q", kv["path"]),
		expect(kv["pidfile"] == "/var/foo/qemu-ga.pid", "pidfile %q", kv["pidfile"]),
		expect(kv["statedir"] == "/var/state", "statedir %q", kv["statedir"]),
		expect(kv["verbose"] == "true", "verbose %q", kv["verbose"]),
		expect(len(list) == 2 && contains(list, "guest-ping") && contains(list, "guest-get-time"), "block-rpcs %q", list))
}

func contains(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

// testOSReleaseData is test-qga.c's tests/data/test-qga-os-release.
const testOSReleaseData = `ID=qemu-ga-test
NAME=QEMU-GA
PRETTY_NAME="QEMU Guest Agent test"
VERSION="Test 1"
VERSION_ID=1
VARIANT="Unit test \"\'\$\` + "`" + `\\ and \\\\ etc."
VARIANT_ID="unit-test"
`

// testOSInfo is test-qga.c's guest-get-osinfo: an agent with
// QGA_OS_RELEASE pointing at the test file reports its fields.
func testOSInfo(e *qgaEnv, _ *qgaClient) error {
	file := filepath.Join(e.t.TempDir(), "test-qga-os-release")
	if err := os.WriteFile(file, []byte(testOSReleaseData), 0o600); err != nil {
		return err
	}
	sock, _ := e.target.start(e.t, nil, []string{"QGA_OS_RELEASE=" + file})
	q := connectQGA(e.t, sock)
	ret, err := q.qmp(`{"execute": "guest-get-osinfo"}`)
	if err != nil {
		return err
	}
	val, err := getDict(ret, "return")
	if err := firstErr(noError(ret), err); err != nil {
		return err
	}
	var errs []error
	for k, want := range map[string]string{"id": "qemu-ga-test", "name": "QEMU-GA", "pretty-name": "QEMU Guest Agent test",
		"version": "Test 1", "version-id": "1", "variant": "Unit test \"'$`\\ and \\\\ etc.", "variant-id": "unit-test"} {
		errs = append(errs, expect(val[k] == want, "%s %q, want %q", k, val[k], want))
	}
	return firstErr(errs...)
}

// qgaResult is how one target did on the 25 tests.
type qgaResult struct {
	errs    map[string]error
	replies map[string][]string // the replies of the tests marked same
}

func runQGATests(t *testing.T, target qgaTarget, version string) qgaResult {
	res := qgaResult{errs: map[string]error{}, replies: map[string][]string{}}
	sock, dir := target.start(t, nil, nil)
	shared := connectQGA(t, sock)
	for _, qt := range qgaTests {
		e := &qgaEnv{t: t, target: target, dir: dir, version: version}
		before := len(shared.raw)
		err := qt.run(e, shared)
		if qt.shared {
			e.replies = append(e.replies, shared.raw[before:]...)
		}
		res.errs[qt.name] = err
		res.replies[qt.name] = e.replies
		if err != nil {
			t.Logf("%s: /qga/%s: FAIL: %v", target.name, qt.name, err)
		}
	}
	return res
}

// realVersion is the real agent's version, from qemu-ga --version.
func realVersion(t *testing.T) string {
	out, err := exec.Command(realqga.Path(t), "--version").Output()
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(strings.TrimPrefix(string(out), "QEMU Guest Agent"))
}

// TestQGAUnitTests runs test-qga.c's 25 tests on both agents.
func TestQGAUnitTests(t *testing.T) {
	if len(qgaTests) != 25 {
		t.Fatalf("%d tests, test-qga.c of QEMU 7.2.0 has 25", len(qgaTests))
	}
	version := realVersion(t)
	real := runQGATests(t, realQGATarget(t), version)
	sim := runQGATests(t, qgasimTarget(), version)
	passed := func(r qgaResult) int {
		n := 0
		for _, err := range r.errs {
			if err == nil {
				n++
			}
		}
		return n
	}
	t.Logf("test-qga.c: qemu-ga passes %d of 25, qgasim agent --listen %d of 25", passed(real), passed(sim))
	for _, qt := range qgaTests {
		if real.errs[qt.name] == nil && sim.errs[qt.name] != nil {
			t.Errorf("/qga/%s passes against qemu-ga, fails against qgasim: %v", qt.name, sim.errs[qt.name])
		}
		if qt.same && real.errs[qt.name] == nil && sim.errs[qt.name] == nil &&
			strings.Join(real.replies[qt.name], "") != strings.Join(sim.replies[qt.name], "") {
			t.Errorf("/qga/%s: the replies differ:\n qgasim: %q\nqemu-ga: %q", qt.name, sim.replies[qt.name], real.replies[qt.name])
		}
	}
}
