package agent

import (
	"flag"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/qgasim/qgasim/internal/golden"
)

var update = flag.Bool("update", false, "rewrite the golden files of the guest tests")

// guestStep is one request at a virtual time.
type guestStep struct {
	at  time.Duration
	req string
}

// runGuest feeds the steps to an agent and returns the transcript: each
// request, then what the agent wrote for it.
func runGuest(t *testing.T, cfg Config, steps []guestStep) string {
	t.Helper()
	a := New(cfg, nil)
	var b strings.Builder
	for _, s := range steps {
		fmt.Fprintf(&b, "@%v > %s\n", s.at, s.req)
		for _, r := range a.Feed(int64(s.at), []byte(s.req)) {
			fmt.Fprintf(&b, "< %q\n", r.Bytes)
		}
	}
	return b.String()
}

func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	want, match, err := golden.Check(filepath.Join("testdata", "guest", name), got, *update)
	if err != nil {
		t.Fatal(err)
	}
	if !match {
		t.Errorf("%s differs (run with -update if the change is meant):\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

// TestDefaultGuest answers every command of qemu-ga 7.2 for the default
// guest, the small Debian VM of defaults.go.
func TestDefaultGuest(t *testing.T) {
	steps := []guestStep{
		{0, `{"execute":"guest-get-osinfo"}`},
		{0, `{"execute":"guest-get-host-name"}`},
		{0, `{"execute":"guest-get-timezone"}`},
		{0, `{"execute":"guest-get-users"}`},
		{0, `{"execute":"guest-network-get-interfaces"}`},
		{0, `{"execute":"guest-get-fsinfo"}`},
		{0, `{"execute":"guest-get-disks"}`},
		{0, `{"execute":"guest-get-diskstats"}`},
		{0, `{"execute":"guest-get-vcpus"}`},
		{time.Second, `{"execute":"guest-get-cpustats"}`},
		{time.Second, `{"execute":"guest-get-memory-block-info"}`},
		{time.Second, `{"execute":"guest-get-memory-blocks"}`},
		{time.Second, `{"execute":"guest-get-time"}`},
		{2 * time.Second, `{"execute":"guest-get-time"}`},
		{2 * time.Second, `{"execute":"guest-get-devices"}`},
		{2 * time.Second, `{"execute":"guest-fstrim"}`},
		{2 * time.Second, `{"execute":"guest-suspend-ram"}`},
		{2 * time.Second, `{"execute":"guest-ssh-get-authorized-keys","arguments":{"username":"debian"}}`},
		{2 * time.Second, `{"execute":"guest-ssh-get-authorized-keys","arguments":{"username":"root"}}`},
		{2 * time.Second, `{"execute":"guest-ssh-add-authorized-keys","arguments":{"username":"root","keys":["ssh-ed25519 AAAA root@host"]}}`},
		{2 * time.Second, `{"execute":"guest-ssh-get-authorized-keys","arguments":{"username":"root"}}`},
		{2 * time.Second, `{"execute":"guest-ssh-get-authorized-keys","arguments":{"username":"nobody"}}`},
		{2 * time.Second, `{"execute":"guest-set-user-password","arguments":{"username":"debian","password":"c2VjcmV0","crypted":false}}`},
		{2 * time.Second, `{"execute":"guest-set-user-password","arguments":{"username":"nobody","password":"c2VjcmV0","crypted":false}}`},
		{2 * time.Second, `{"execute":"guest-set-vcpus","arguments":{"vcpus":[{"logical-id":1,"online":false},{"logical-id":0,"online":false}]}}`},
		{2 * time.Second, `{"execute":"guest-get-vcpus"}`},
		{2 * time.Second, `{"execute":"guest-get-cpustats"}`},
		{2 * time.Second, `{"execute":"guest-set-memory-blocks","arguments":{"mem-blks":[{"phys-index":15,"online":false},{"phys-index":99,"online":true}]}}`},
		{2 * time.Second, `{"execute":"guest-fsfreeze-freeze-list","arguments":{"mountpoints":["/nowhere"]}}`},
		{2 * time.Second, `{"execute":"guest-fsfreeze-freeze-list","arguments":{"mountpoints":["/boot/efi","/nowhere"]}}`},
		{2 * time.Second, `{"execute":"guest-fsfreeze-status"}`},
		{2 * time.Second, `{"execute":"guest-fsfreeze-thaw"}`},
		{3 * time.Second, `{"execute":"guest-exec","arguments":{"path":"echo","arg":["-n","\" test_str \""],"capture-output":true}}`},
		{3 * time.Second, `{"execute":"guest-exec-status","arguments":{"pid":1234}}`},
		{3 * time.Second, `{"execute":"guest-exec","arguments":{"path":"/bin/sh","arg":["-c","echo out; echo err >&2; sleep 2; exit 3"],"capture-output":true}}`},
		{3 * time.Second, `{"execute":"guest-exec-status","arguments":{"pid":1235}}`},
		{5 * time.Second, `{"execute":"guest-exec-status","arguments":{"pid":1235}}`},
		{5 * time.Second, `{"execute":"guest-exec","arguments":{"path":"cat","input-data":"aGVsbG8K","capture-output":true}}`},
		{5 * time.Second, `{"execute":"guest-exec-status","arguments":{"pid":1236}}`},
		{5 * time.Second, `{"execute":"guest-exec","arguments":{"path":"/etc/hostname"}}`},
		{5 * time.Second, `{"execute":"guest-exec","arguments":{"path":"nosuchprogram"}}`},
		{5 * time.Second, `{"execute":"guest-exec","arguments":{"path":"sh","arg":["-c","cat /etc/hostname; nosuch; echo $?"],"capture-output":true}}`},
		{5 * time.Second, `{"execute":"guest-exec-status","arguments":{"pid":1237}}`},
		{5 * time.Second, `{"execute":"guest-file-open","arguments":{"path":"foo","mode":"w+"}}`},
		{5 * time.Second, `{"execute":"guest-file-write","arguments":{"handle":1000,"buf-b64":"SGVsbG8gV29ybGQhCgA="}}`},
		{5 * time.Second, `{"execute":"guest-file-read","arguments":{"handle":1000}}`},
		{5 * time.Second, `{"execute":"guest-file-seek","arguments":{"handle":1000,"offset":6,"whence":"set"}}`},
		{5 * time.Second, `{"execute":"guest-file-read","arguments":{"handle":1000}}`},
		{5 * time.Second, `{"execute":"guest-file-seek","arguments":{"handle":1000,"offset":-100,"whence":2}}`},
		{5 * time.Second, `{"execute":"guest-file-flush","arguments":{"handle":1000}}`},
		{5 * time.Second, `{"execute":"guest-file-close","arguments":{"handle":1000}}`},
		{5 * time.Second, `{"execute":"guest-set-time","arguments":{"time":1800000000123456789}}`},
		{6 * time.Second, `{"execute":"guest-get-time"}`},
		{6 * time.Second, `{"execute":"guest-shutdown","arguments":{"mode":"sideways"}}`},
		{6 * time.Second, `{"execute":"guest-shutdown","arguments":{"mode":"reboot"}}`},
	}
	checkGolden(t, "default.txt", runGuest(t, Config{}, steps))
}
