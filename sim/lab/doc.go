// Package lab checks the simulator's transport models against a real QEMU
// guest running the real qemu-ga 7.2 (docs/lab.md, which also records what the first lab
// measured on the real guest).
//
// The contract. Boot builds an initramfs from this machine's busybox, qemu-ga
// (with the shared libraries ldd lists) and the virtio modules of the newest
// kernel in /boot, with an /init written here; it starts
// qemu-system-x86_64 under TCG with qemu-ga on a virtio-serial port and on an
// isa-serial port, each behind a unix-socket chardev in the caller's
// directory, and a control shell on a third port through which Ctl pauses
// (SIGSTOP), resumes, stops (SIGTERM, SIGKILL; or SIGTERM without waiting)
// and restarts an agent. Boot
// returns when both agents have answered; Close quits QEMU through its
// monitor and kills only the process it started.
//
// A Script is plain data: host actions (connect, write, read for a while or
// until some bytes, close; pause, resume, stop, term, kill, start the agent).
// Play runs it against a Target and records what every read received: Real
// is the guest, Sim is the simulator (sim/link's transport model in front of
// sim/agent, in virtual time). Experiments are the first lab's
// experiments (docs/lab.md) as scripts. SimOutcomes and AcceptedOutcomes give what the
// simulator produces over many seeds; the differential test requires the
// real transcript to be among them. Where the real guest is racy (the
// isa-serial flush tail) the accepted outcomes are named by the tail.
//
// The tests: TestLab boots the guest (only with CI=true or QGASIM_LAB=1;
// then a guest that does not boot fails it); TestSimMatchesRecorded and
// TestSimExperiments run everywhere, against the real transcripts recorded
// in testdata/real.
package lab
