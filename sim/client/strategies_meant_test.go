package client

import "testing"

// Meant names the strategy behind the words the docs use for a client, and
// a known name written in another case; it guesses nothing else.
func TestMeant(t *testing.T) {
	for in, want := range map[string]string{
		"naive": "none", "Naive": "none", "python": "python-qga", "vmtest": "qapi-rs",
		"avocado": "avocado-vt", "LIBVIRT": "libvirt", " pve ": "proxmox",
		"libvirt": "", "nope": "", "": "",
	} {
		if got := Meant(in); got != want {
			t.Errorf("Meant(%q) = %q, want %q", in, got, want)
		}
	}
	for _, s := range informal {
		if _, ok := strategies[s]; !ok {
			t.Errorf("informal name leads to %q, which is no strategy", s)
		}
	}
}
