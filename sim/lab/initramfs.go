package lab

import (
	"compress/gzip"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// BuildInitramfs writes the guest's initramfs (a gzipped newc cpio) to path:
// the host's static busybox with a link per applet, the host's qemu-ga with
// every shared library ldd lists at the same path, the virtio modules of the
// kernel h.Kernel, and the /init of initScript.
func BuildInitramfs(h *Host, path string) error {
	a := NewArchive()
	for _, d := range []string{"bin", "sbin", "usr/bin", "usr/sbin", "lib64", "etc",
		"proc", "sys", "dev", "run", "tmp", "var", "root"} {
		a.Dir(d)
	}
	// The kernel opens /dev/console for init before init mounts devtmpfs.
	a.CharDev("dev/console", 5, 1, 0o600)

	if err := addBinary(a, h.Busybox, "bin/busybox"); err != nil {
		return err
	}
	list, err := exec.Command(h.Busybox, "--list").Output()
	if err != nil {
		return fmt.Errorf("lab: %s --list: %w", h.Busybox, err)
	}
	for _, applet := range strings.Fields(string(list)) {
		if applet != "busybox" && !strings.Contains(applet, "/") {
			a.Symlink("bin/"+applet, "busybox")
		}
	}
	if err := addBinary(a, h.QGA, "usr/sbin/qemu-ga"); err != nil {
		return err
	}

	mods, err := moduleFiles(h.Release, guestModules)
	if err != nil {
		return err
	}
	for i, m := range mods {
		data, err := readModule(m)
		if err != nil {
			return err
		}
		a.File(fmt.Sprintf("lib/modules/lab/%02d-%s.ko", i, modName(m)), data, 0o644)
	}

	a.File("init", []byte(strings.ReplaceAll(initScript, "RESTART_DELAY", restartDelay)), 0o755)
	a.File("etc/passwd", []byte("root:x:0:0:root:/root:/bin/sh\n"), 0o644)
	a.File("etc/group", []byte("root:x:0:\n"), 0o644)
	a.File(BigFilePath, BigFile(), 0o644)

	f, err := os.Create(path)
	if err != nil {
		return err
	}
	// Speed over size: the image is read once, from the local disk.
	zw, _ := gzip.NewWriterLevel(f, gzip.BestSpeed)
	if _, err := a.WriteTo(zw); err != nil {
		f.Close()
		return err
	}
	if err := zw.Close(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// BigFilePath is the guest file of the big-reply experiments (B3), in the
// real guest and in the simulated one.
const BigFilePath = "/big.bin"

// BigFile is its content: 2,000,000 bytes from a fixed seed, so that the
// real agent and the simulated one read the same bytes.
func BigFile() []byte {
	r := rand.New(rand.NewPCG(2000000, 7))
	b := make([]byte, 2_000_000)
	for i := 0; i < len(b); i += 8 {
		v := r.Uint64()
		for j := 0; j < 8 && i+j < len(b); j++ {
			b[i+j] = byte(v >> (8 * j))
		}
	}
	return b
}

// addBinary copies a program to dst in the archive and every shared library
// it needs to the same path as on the host (the guest has no ld.so.cache;
// the loader finds them in its default directories).
func addBinary(a *Archive, src, dst string) error {
	data, err := os.ReadFile(src)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrMissing, err)
	}
	a.File(dst, data, 0o755)
	libs, err := sharedLibs(src)
	if err != nil {
		return err
	}
	for _, l := range libs {
		if a.Has(l) {
			continue
		}
		data, err := os.ReadFile(l) // follows the symlinks to the real file
		if err != nil {
			return fmt.Errorf("lab: library %s of %s: %w", l, src, err)
		}
		a.File(filepath.Clean(l), data, 0o755)
	}
	return nil
}
