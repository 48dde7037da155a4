package agent

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// A DirFS keeps every path inside its directory: ".." stops at the guest's
// root, and a symbolic link that leads out is refused, whatever is behind.
func TestDirFSConfined(t *testing.T) {
	outside := t.TempDir()
	secret := filepath.Join(outside, "secret")
	os.WriteFile(secret, []byte("not for the guest"), 0o600)
	root := t.TempDir()
	os.Mkdir(filepath.Join(root, "etc"), 0o755)
	os.WriteFile(filepath.Join(root, "etc", "hostname"), []byte("guest\n"), 0o644)
	os.Symlink(secret, filepath.Join(root, "abs-link"))
	os.Symlink("../../../../../../.."+secret, filepath.Join(root, "etc", "rel-link"))
	os.Symlink("hostname", filepath.Join(root, "etc", "inside-link"))
	fs, err := OpenDirFS(root)
	if err != nil {
		t.Fatal(err)
	}
	defer fs.Close()
	for _, p := range []string{"/etc/hostname", "etc/hostname", "/../../etc/hostname", "/etc/../etc/./hostname", "/etc/inside-link"} {
		if b, err := fs.ReadFile(p); err != nil || string(b) != "guest\n" {
			t.Errorf("%s: %q %v", p, b, err)
		}
	}
	for _, p := range []string{"/abs-link", "/etc/rel-link"} {
		if _, err := fs.ReadFile(p); !errors.Is(err, syscall.EACCES) {
			t.Errorf("%s: %v, want EACCES", p, err)
		}
		if _, err := fs.OpenFile(p, os.O_WRONLY|os.O_TRUNC, 0); !errors.Is(err, syscall.EACCES) {
			t.Errorf("%s opened for writing: %v", p, err)
		}
	}
	if b, _ := os.ReadFile(secret); string(b) != "not for the guest" {
		t.Fatalf("the file outside changed: %q", b)
	}
	// What the guest writes lands inside, 0600.
	if err := fs.WriteFile("/../new", []byte("x"), 0o666); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(filepath.Join(root, "new")); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("new file: %v %v", fi, err)
	}
}

// MemFS gives the errnos a real file system gives.
func TestMemFSErrors(t *testing.T) {
	m := NewMemFS(map[string][]byte{"/etc/hostname": []byte("h\n")}, "/home/debian")
	cases := []struct {
		path string
		flag int
		want syscall.Errno
	}{
		{"/nowhere/x", os.O_WRONLY | os.O_CREATE, syscall.ENOENT},
		{"/etc/hostname/x", os.O_RDONLY, syscall.ENOTDIR},
		{"/etc", os.O_WRONLY, syscall.EISDIR},
		{"/missing", os.O_RDONLY, syscall.ENOENT},
		{"", os.O_RDONLY, syscall.ENOENT},
	}
	for _, c := range cases {
		if _, err := m.OpenFile(c.path, c.flag, 0o666); !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", c.path, err, c.want)
		}
	}
	f, err := m.OpenFile("/etc", os.O_RDONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Read(make([]byte, 1)); !errors.Is(err, syscall.EISDIR) {
		t.Errorf("reading a directory: %v", err)
	}
	if err := m.MkdirAll("/home/debian/.ssh", 0o700); err != nil {
		t.Fatal(err)
	}
	if err := m.WriteFile("/home/debian/.ssh/authorized_keys", []byte("k"), 0o600); err != nil {
		t.Fatal(err)
	}
	if got := m.Paths(); len(got) != 2 || got[0] != "/etc/hostname" {
		t.Errorf("paths %v", got)
	}
}
