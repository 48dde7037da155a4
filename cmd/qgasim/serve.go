package main

import (
	"github.com/spf13/cobra"
)

// newServeCmd is `qgasim serve FILE --listen ADDR`: the scenario's simulated
// agent behind its faulty link, for a real client.
func newServeCmd() *cobra.Command {
	var f liveFlags
	cmd := &cobra.Command{
		Use:   "serve FILE.yaml|NAME --listen unix:PATH|tcp:127.0.0.1:PORT [flags]",
		Short: "put a scenario's simulated agent and faulty link behind a socket, for a real client",
		Long: `Serves the scenario's simulated qemu-ga (its version, latencies, blocked commands,
frozen state, files and programs) behind the scenario's link and faults, in wall-clock
time, for a real client: your program, a libvirt or Proxmox build, a CI job. The
scenario's client and steps are not used: your client takes their place.

Each connection is the host opening the channel, each close the host closing it, with
the transport's rules: virtio-serial keeps a reply written while no client is
connected and hands it to the next one; isa-serial loses it; unix-socket is qemu-ga's
own unix-listen (a connect while the agent is down is refused, and the agent's exit
ends the connection). One client at a time, as qemu-ga: the next one's connect
succeeds and it waits, unread and sent nothing, until the first one closes. Every
fault works on the real bytes, protocol-aware triggers (on: '\xff', on: '"return"') and
restart-agent in the middle of a reply included.

It runs until SIGINT, SIGTERM or SIGHUP, or --duration, then prints a report: each request
your client sent (as the agent parsed it), whether the agent answered, and whether
the reply reached your client whole, cut, dropped, or after your client had sent a
later request (a stale reply it may have handed to the wrong caller). Exit status 0,
or 2 for bad input. See docs/live.md.

Whoever connects controls the guest, so the listener lets no one else in and destroys
nothing: a unix socket is made mode 0600; a path that holds anything but a socket, or a
socket something listens on, is refused and left alone (a stale socket is replaced);
at the end the socket is removed only if it is still the one this session made. tcp:
listens on a loopback address only, unless --listen-remote asks for another on purpose.`,
		Example: `  qgasim serve stale-reply-virtio --listen unix:/tmp/qga.sock --trace live.jsonl
  qgasim serve my.yaml --listen tcp:127.0.0.1:4444 --duration 1m --json`,
		Args:              exactArgs(1, "one scenario file"),
		ValidArgsFunction: completeScenario,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runLive(cmd, "serve", &f, args[0], nil)
		},
	}
	f.add(cmd)
	return cmd
}
