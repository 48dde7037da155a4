// Package client models real host programs that talk to qemu-ga, each as a
// pure state machine that follows one resync strategy (see Client).
//
// The strategies, by the names scenarios use:
//
//   - none: writes the command and takes the next line as its reply, as the
//     cloudpods Go client does. Stale replies reach the wrong caller.
//   - libvirt: libvirt 9.0 as observed on the wire: guest-sync with a
//     millisecond-clock id only on a new connection and after a timeout; no
//     check at all during an ordinary command; garbage poisons.
//   - proxmox: Proxmox VE's QMPClient: a new connection per command;
//     guest-sync-delimited and the command in one write; the greedy last-0xFF
//     match on two complete lines.
//   - python-qga: QEMU's python qemu-ga-client on qemu.qmp: guest-ping, then
//     guest-sync with a random 32-bit id until it matches; replies routed by
//     their qmp id; a reply without an id ends the session.
//   - delimited: the documented way: 0xFF, guest-sync-delimited with a random
//     64-bit id, discard until the 0xFF sentinel, accept only the matching id,
//     resync after every timeout, then the command.
//   - avocado-vt: avocado-vt's QemuAgent: guest-sync with an id in 1000..9999
//     once per connection, a drain before every write, the first return or
//     error of a read as the answer; an error during the sync gives up.
//   - qapi-rs: vmtest's client on the qapi-rs crate: a guest-sync handshake
//     that reads exactly one line and retries on a new connection, then
//     bare commands that each read one line.
//
// Several callers at once: New puts every strategy but none behind its
// lock (Lock, lock.go), so that a second caller waits as it does with the
// real client (libvirt's agent job, at most 30 s); none takes no lock and
// its callers interleave on the channel.
//
// A strategy never decides whether its caller got the right answer: it only
// reports what it handed over and from which received bytes. Package check
// judges that from the trace. Every byte it receives is handed over,
// discarded with a reason, or (a client that stops reading, see Reader)
// left in the channel; every outcome carries the real client's text.
package client
