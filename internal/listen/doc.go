// Package listen opens the sockets qgasim listens on (the agent's unix
// socket, and the serve and proxy listeners) so that starting and stopping
// never destroys what is not qgasim's and never lets in more than it should.
//
// The contract, for an address "unix:PATH":
//
//   - The length of PATH is checked first, against what a unix socket
//     address holds (107 bytes), before anything is touched.
//   - Something at PATH that is not a socket (a file, a directory, a
//     symbolic link) is refused and left alone.
//   - A socket at PATH that someone is listening on (a connect succeeds)
//     is refused. A stale socket (the connect is refused) is replaced.
//   - The new socket is mode 0600 from the moment it has its name: it is
//     bound in a private directory (mode 0700) beside PATH, made 0600
//     there, and then linked to PATH, which fails if PATH appeared in the
//     meantime (nothing is ever replaced). The process umask is not
//     touched, so other goroutines creating files are not affected.
//   - It listens with a backlog of 1, as qemu-ga does: two connections
//     wait in the kernel while one is served; a third connect blocks (or
//     fails with EAGAIN when non-blocking).
//   - Close removes PATH only if it is still the socket this listener
//     created (same device and inode): a listener that took the path over
//     since is left alone. Close is safe to call more than once and from a
//     signal handler's goroutine. (Between the check and the unlink another
//     process could swap the file; POSIX has no conditional unlink.)
//
// For "tcp:HOST:PORT", HOST must be a loopback address (127.0.0.0/8, ::1,
// localhost) unless Options.AllowRemote is set, and then Options.Warn is
// called with a warning that anyone who can reach the port controls the
// guest. This is stricter than qemu-ga, which has no TCP listener and
// replaces whatever is at its socket path (docs/fidelity.md).
package listen
