package lab

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"strconv"
	"testing"
)

func TestResolveModules(t *testing.T) {
	dep := []byte(`kernel/drivers/virtio/virtio.ko: kernel/drivers/virtio/virtio_ring.ko
kernel/drivers/virtio/virtio_ring.ko:
kernel/drivers/virtio/virtio_pci.ko.xz: kernel/drivers/virtio/virtio_pci_legacy_dev.ko kernel/drivers/virtio/virtio.ko kernel/drivers/virtio/virtio_ring.ko
kernel/drivers/virtio/virtio_pci_legacy_dev.ko:
kernel/drivers/char/virtio_console.ko: kernel/drivers/virtio/virtio.ko kernel/drivers/virtio/virtio_ring.ko
`)
	builtin := []byte("kernel/drivers/virtio/virtio_pci_modern_dev.ko\n")
	got, err := resolveModules(dep, builtin, []string{"virtio_pci_modern_dev", "virtio_console", "virtio_pci"}, "/m")
	if err != nil {
		t.Fatal(err)
	}
	want := "[/m/kernel/drivers/virtio/virtio_ring.ko /m/kernel/drivers/virtio/virtio.ko /m/kernel/drivers/char/virtio_console.ko " +
		"/m/kernel/drivers/virtio/virtio_pci_legacy_dev.ko /m/kernel/drivers/virtio/virtio_pci.ko.xz]"
	if fmt.Sprint(got) != want {
		t.Errorf("load order\n got %v\nwant %s", got, want)
	}
	if _, err := resolveModules(dep, nil, []string{"nosuch"}, "/m"); err == nil {
		t.Error("a missing module gave no error")
	}
}

func TestParseLddAndVersions(t *testing.T) {
	out := []byte("\tlinux-vdso.so.1 (0x00007ffd)\n\tlibglib-2.0.so.0 => /lib/x86_64-linux-gnu/libglib-2.0.so.0 (0x1)\n\t/lib64/ld-linux-x86-64.so.2 (0x2)\n")
	if got := fmt.Sprint(parseLdd(out)); got != "[/lib/x86_64-linux-gnu/libglib-2.0.so.0 /lib64/ld-linux-x86-64.so.2]" {
		t.Errorf("parseLdd = %s", got)
	}
	if !versionLess("/boot/vmlinuz-6.1.0-9-amd64", "/boot/vmlinuz-6.1.0-56-amd64") || versionLess("/boot/vmlinuz-6.10.0-1", "/boot/vmlinuz-6.9.0-1") {
		t.Error("versionLess does not order kernel versions numerically")
	}
}

// TestArchive writes an archive and reads the newc headers back.
func TestArchive(t *testing.T) {
	a := NewArchive()
	a.File("usr/sbin/qemu-ga", []byte("ELF!!"), 0o755)
	a.Symlink("bin/sh", "busybox")
	a.CharDev("dev/console", 5, 1, 0o600)
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := a.WriteTo(zw); err != nil {
		t.Fatal(err)
	}
	zw.Close()
	zr, err := gzip.NewReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	data, _ := io.ReadAll(zr)
	var names []string
	for off := 0; ; {
		if len(data)-off < 110 || string(data[off:off+6]) != "070701" {
			t.Fatalf("bad header at %d: %q", off, data[off:min(off+20, len(data))])
		}
		field := func(i int) int {
			v, err := strconv.ParseUint(string(data[off+6+8*i:off+14+8*i]), 16, 32)
			if err != nil {
				t.Fatal(err)
			}
			return int(v)
		}
		mode, size, rmaj, rmin, nsize := field(1), field(6), field(9), field(10), field(11)
		name := string(data[off+110 : off+110+nsize-1])
		names = append(names, fmt.Sprintf("%s:%o", name, mode))
		pos := (off + 110 + nsize + 3) &^ 3
		content := string(data[pos : pos+size])
		switch name {
		case "usr/sbin/qemu-ga":
			if content != "ELF!!" {
				t.Errorf("file content %q", content)
			}
		case "bin/sh":
			if content != "busybox" {
				t.Errorf("symlink target %q", content)
			}
		case "dev/console":
			if rmaj != 5 || rmin != 1 {
				t.Errorf("console device %d:%d", rmaj, rmin)
			}
		}
		off = (pos + size + 3) &^ 3
		if name == "TRAILER!!!" {
			break
		}
	}
	want := "[bin:40755 bin/sh:120777 dev:40755 dev/console:20600 usr:40755 usr/sbin:40755 usr/sbin/qemu-ga:100755 TRAILER!!!:0]"
	if fmt.Sprint(names) != want {
		t.Errorf("entries\n got %v\nwant %s", names, want)
	}
}
