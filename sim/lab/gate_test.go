package lab

import (
	"context"
	"errors"
	"os"
	"testing"
)

// labEnabled says whether the lab tests run: in CI (CI=true) or on request
// (QGASIM_LAB=1). They boot a QEMU guest and take minutes.
func labEnabled() bool {
	return os.Getenv("CI") == "true" || os.Getenv("QGASIM_LAB") == "1"
}

// bootGuest boots the lab guest for a test, or skips when the lab is not
// enabled. When it is enabled, a missing package or a guest that does not
// boot fails the test: in CI the lab must run.
func bootGuest(t *testing.T) *Guest {
	t.Helper()
	if !labEnabled() {
		t.Skip("the lab boots a QEMU guest (TCG) and takes about a minute; run it with " +
			"QGASIM_LAB=1 go test -run Lab -timeout 20m ./sim/lab/ " +
			"(needs: apt-get install -y qemu-system-x86 linux-image-amd64 busybox-static qemu-guest-agent)")
	}
	h, err := FindHost()
	if err != nil {
		if errors.Is(err, ErrMissing) {
			t.Fatalf("%v; install: apt-get install -y qemu-system-x86 linux-image-amd64 busybox-static qemu-guest-agent", err)
		}
		t.Fatal(err)
	}
	g, err := Boot(context.Background(), h, Options{Dir: t.TempDir(), Logf: t.Logf})
	if err != nil {
		t.Fatalf("boot: %v", err)
	}
	t.Cleanup(func() { g.Close() })
	return g
}
