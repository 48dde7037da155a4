package lab

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// ErrMissing says that a program or file the lab needs is not on this
// machine; the lab's packages are qemu-system-x86, linux-image-amd64,
// busybox-static and qemu-guest-agent.
var ErrMissing = errors.New("lab: missing on this machine")

// guestModules are the modules the guest loads, in an order that satisfies
// their dependencies (modules.dep is consulted too, see moduleFiles). The
// 8250 UART and devtmpfs are built into Debian's kernel.
var guestModules = []string{"virtio_ring", "virtio", "virtio_pci_modern_dev",
	"virtio_pci_legacy_dev", "virtio_pci", "virtio_console"}

// Host is what the lab takes from the machine it runs on, found at run time.
type Host struct {
	Kernel  string // /boot/vmlinuz-VERSION
	Release string // VERSION, the directory under /lib/modules
	QEMU    string // qemu-system-x86_64
	QGA     string // the qemu-ga binary copied into the guest
	Busybox string // a static busybox
}

// FindHost finds the newest installed kernel with modules, QEMU, qemu-ga
// and busybox. The error wraps ErrMissing and names what is missing.
func FindHost() (*Host, error) {
	h := &Host{}
	var missing []string
	kernels, _ := filepath.Glob("/boot/vmlinuz-*")
	sort.Slice(kernels, func(i, j int) bool { return versionLess(kernels[i], kernels[j]) })
	for i := len(kernels) - 1; i >= 0; i-- {
		rel := strings.TrimPrefix(filepath.Base(kernels[i]), "vmlinuz-")
		if _, err := os.Stat(filepath.Join("/lib/modules", rel, "modules.dep")); err == nil {
			h.Kernel, h.Release = kernels[i], rel
			break
		}
	}
	if h.Kernel == "" {
		missing = append(missing, "a kernel with modules (/boot/vmlinuz-*, package linux-image-amd64)")
	}
	look := func(dst *string, pkg string, names ...string) {
		for _, n := range names {
			if p, err := exec.LookPath(n); err == nil {
				*dst = p
				return
			}
			if strings.HasPrefix(n, "/") {
				if _, err := os.Stat(n); err == nil {
					*dst = n
					return
				}
			}
		}
		missing = append(missing, names[0]+" (package "+pkg+")")
	}
	look(&h.QEMU, "qemu-system-x86", "qemu-system-x86_64")
	look(&h.QGA, "qemu-guest-agent", "qemu-ga", "/usr/sbin/qemu-ga", "/usr/bin/qemu-ga")
	look(&h.Busybox, "busybox-static", "busybox", "/bin/busybox")
	if len(missing) > 0 {
		return h, fmt.Errorf("%w: %s", ErrMissing, strings.Join(missing, ", "))
	}
	return h, nil
}

// versionLess orders kernel file names by their dotted and dashed numbers,
// as sort -V would: 6.1.0-9 before 6.1.0-56.
func versionLess(a, b string) bool {
	fa, fb := versionFields(a), versionFields(b)
	for i := 0; i < len(fa) && i < len(fb); i++ {
		if fa[i] != fb[i] {
			na, ea := strconv.Atoi(fa[i])
			nb, eb := strconv.Atoi(fb[i])
			if ea == nil && eb == nil {
				return na < nb
			}
			return fa[i] < fb[i]
		}
	}
	return len(fa) < len(fb)
}

func versionFields(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == '.' || r == '-' || r == '_' })
}

// moduleFiles returns the files of the guest's modules in load order, read
// from modules.dep: each module after its dependencies. A module that is
// built into the kernel (modules.builtin) needs no file and is left out.
func moduleFiles(release string, names []string) ([]string, error) {
	dir := filepath.Join("/lib/modules", release)
	dep, err := os.ReadFile(filepath.Join(dir, "modules.dep"))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMissing, err)
	}
	builtin, _ := os.ReadFile(filepath.Join(dir, "modules.builtin"))
	return resolveModules(dep, builtin, names, dir)
}

// modName is the module name of a path in modules.dep: the base name
// without .ko and a compression suffix, with '-' read as '_'.
func modName(path string) string {
	b := filepath.Base(path)
	if i := strings.Index(b, ".ko"); i >= 0 {
		b = b[:i]
	}
	return strings.ReplaceAll(b, "-", "_")
}

func resolveModules(dep, builtin []byte, names []string, dir string) ([]string, error) {
	deps := map[string][]string{} // module path -> dependency paths
	byName := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(dep))
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for sc.Scan() {
		mod, rest, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			continue
		}
		deps[mod] = strings.Fields(rest)
		byName[modName(mod)] = mod
	}
	isBuiltin := map[string]bool{}
	for _, l := range strings.Fields(string(builtin)) {
		isBuiltin[modName(l)] = true
	}
	var order []string
	seen := map[string]bool{}
	var visit func(path string)
	visit = func(path string) {
		if seen[path] {
			return
		}
		seen[path] = true
		// modules.dep lists every dependency, direct or not, with the
		// deepest last; load them deepest first.
		d := deps[path]
		for i := len(d) - 1; i >= 0; i-- {
			visit(d[i])
		}
		order = append(order, filepath.Join(dir, path))
	}
	for _, n := range names {
		if isBuiltin[n] {
			continue
		}
		p, ok := byName[n]
		if !ok {
			return nil, fmt.Errorf("%w: module %s is neither in modules.dep nor built in", ErrMissing, n)
		}
		visit(p)
	}
	return order, nil
}

// readModule returns a module's contents, uncompressed: busybox insmod in
// the guest takes a plain .ko.
func readModule(path string) ([]byte, error) {
	var tool string
	switch {
	case strings.HasSuffix(path, ".ko"):
		return os.ReadFile(path)
	case strings.HasSuffix(path, ".xz"):
		tool = "xz"
	case strings.HasSuffix(path, ".zst"):
		tool = "zstd"
	case strings.HasSuffix(path, ".gz"):
		tool = "gzip"
	default:
		return nil, fmt.Errorf("lab: unknown module file %s", path)
	}
	out, err := exec.Command(tool, "-dc", path).Output()
	if err != nil {
		return nil, fmt.Errorf("lab: %s -dc %s: %w", tool, path, err)
	}
	return out, nil
}

// sharedLibs returns the shared libraries ldd lists for a binary, the
// dynamic loader included, as absolute paths. A static binary has none.
func sharedLibs(bin string) ([]string, error) {
	out, err := exec.Command("ldd", bin).CombinedOutput()
	if err != nil {
		if bytes.Contains(out, []byte("not a dynamic executable")) {
			return nil, nil
		}
		return nil, fmt.Errorf("lab: ldd %s: %v: %s", bin, err, out)
	}
	return parseLdd(out), nil
}

func parseLdd(out []byte) []string {
	var libs []string
	for _, line := range strings.Split(string(out), "\n") {
		for _, f := range strings.Fields(line) {
			if strings.HasPrefix(f, "/") {
				libs = append(libs, f)
			}
		}
	}
	return libs
}
