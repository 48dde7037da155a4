package agent

import (
	"errors"
	"strings"
	"syscall"

	"github.com/qgasim/qgasim/sim/qjson"
)

// The SSH key commands keep a user's keys in ~/.ssh/authorized_keys of the
// guest's file system, as qemu-ga does: one key a line, written back with
// the lines joined by "\n" (no newline after the last).

// checkKeys refuses a key that is a comment or holds a newline.
func checkKeys(keys []string) *cmdError {
	for _, k := range keys {
		if strings.HasPrefix(k, "#") || strings.IndexByte(k, '\n') >= 0 {
			return genericError("invalid OpenSSH public key: '" + k + "'")
		}
	}
	return nil
}

// keysFile returns the authorized_keys path of a user.
func (a *Agent) keysFile(user string) (string, *cmdError) {
	acc := a.account(user)
	if acc == nil {
		// getpwnam found nothing and set no errno.
		return "", genericError("failed to lookup user '" + user + "': Success")
	}
	return strings.TrimSuffix(acc.Home, "/") + "/.ssh/authorized_keys", nil
}

// readKeys reads the lines of a keys file, GLib's way: its error texts.
func (a *Agent) readKeys(path string) ([]string, error) {
	b, err := a.guest.files().ReadFile(path)
	if err != nil {
		return nil, err
	}
	if len(b) == 0 {
		return nil, nil
	}
	return strings.Split(string(b), "\n"), nil
}

func readError(path string, err error) *cmdError {
	what := "Failed to open file"
	if errors.Is(err, syscall.EISDIR) {
		what = "Failed to read from file"
	}
	return genericError("failed to read '" + path + "': " + what + " \u201c" + path + "\u201d: " + errnoText(err))
}

func (a *Agent) writeKeys(path string, lines []string) *cmdError {
	dir := path[:strings.LastIndexByte(path, '/')]
	if err := a.guest.files().MkdirAll(dir, 0o700); err != nil {
		return genericError("failed to create directory '" + dir + "': " + errnoText(err))
	}
	if err := a.guest.files().WriteFile(path, []byte(strings.Join(lines, "\n")), 0o600); err != nil {
		return genericError("failed to write to '" + path + "': " + errnoText(err))
	}
	return nil
}

// guest-ssh-get-authorized-keys returns the keys, newest line first,
// without blank lines and comments.
func cmdSSHGetKeys(a *Agent, in *args, r *Reply) (qjson.Value, *cmdError) {
	user, _ := in.Str("username", false)
	if !in.Done() {
		return qjson.Value{}, in.err
	}
	path, cerr := a.keysFile(user)
	if cerr != nil {
		return qjson.Value{}, cerr
	}
	lines, err := a.readKeys(path)
	if err != nil {
		return qjson.Value{}, readError(path, err)
	}
	keys := []string{}
	for i := len(lines) - 1; i >= 0; i-- {
		k := strings.TrimSpace(lines[i])
		if k != "" && !strings.HasPrefix(k, "#") {
			keys = append(keys, k)
		}
	}
	return object(qjson.NewDict().Put("keys", strList(keys))), nil
}

// keysRequest reads the arguments of add and remove (reset only for add)
// and checks them as qemu-ga does: the keys first, then the user. It
// returns the keys and the user's keys file.
func (a *Agent) keysRequest(in *args, withReset bool) (keys []string, reset bool, path string, err *cmdError) {
	user, _ := in.Str("username", false)
	keys, _ = in.StrList("keys", false)
	if withReset {
		reset, _ = in.Bool("reset", true)
	}
	if !in.Done() {
		return nil, false, "", in.err
	}
	if err := checkKeys(keys); err != nil {
		return nil, false, "", err
	}
	path, err = a.keysFile(user)
	return keys, reset, path, err
}

// guest-ssh-add-authorized-keys appends the keys that are not there yet
// (or replaces the file's content with reset).
func cmdSSHAddKeys(a *Agent, in *args, r *Reply) (qjson.Value, *cmdError) {
	keys, reset, path, cerr := a.keysRequest(in, true)
	if cerr != nil {
		return qjson.Value{}, cerr
	}
	var lines []string
	if !reset {
		var err error
		if lines, err = a.readKeys(path); err != nil && !errors.Is(err, syscall.ENOENT) {
			return qjson.Value{}, readError(path, err)
		}
	}
	for _, k := range keys {
		if !contains(lines, k) {
			lines = append(lines, k)
		}
	}
	if err := a.writeKeys(path, lines); err != nil {
		return qjson.Value{}, err
	}
	return noReturn, nil
}

// guest-ssh-remove-authorized-keys drops the lines equal to a key; without
// a keys file there is nothing to do.
func cmdSSHRemoveKeys(a *Agent, in *args, r *Reply) (qjson.Value, *cmdError) {
	keys, _, path, cerr := a.keysRequest(in, false)
	if cerr != nil {
		return qjson.Value{}, cerr
	}
	lines, err := a.readKeys(path)
	if errors.Is(err, syscall.ENOENT) {
		return noReturn, nil
	}
	if err != nil {
		return qjson.Value{}, readError(path, err)
	}
	kept := lines[:0]
	for _, l := range lines {
		if !contains(keys, l) {
			kept = append(kept, l)
		}
	}
	if err := a.writeKeys(path, kept); err != nil {
		return qjson.Value{}, err
	}
	return noReturn, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
