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
//
// A strategy never decides whether its caller got the right answer: it only
// reports what it handed over and from which received bytes. Package check
// judges that from the trace.
package client
