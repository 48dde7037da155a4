package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/qgasim/qgasim/internal/upstream"
)

// newProxyCmd is `qgasim proxy FILE --listen A --connect B`: a real client
// and a real agent with the scenario's faults between them.
func newProxyCmd() *cobra.Command {
	var (
		f                 liveFlags
		connect, agentCmd string
		agentLog          string
	)
	cmd := &cobra.Command{
		Use:   "proxy FILE.yaml|NAME --listen ADDR --connect unix:PATH|tcp:HOST:PORT [--agent-cmd CMD] [flags]",
		Short: "put a scenario's faulty link between a real client and a real agent",
		Long: `Proxies between a real client (on --listen) and a real qemu-ga (on --connect: a VM's
org.qemu.guest_agent.0 chardev socket, or 'qemu-ga -m unix-listen -p PATH'), with the
scenario's link and faults applied to the real bytes in both directions, in wall-clock
time. With no faults it is transparent, byte for byte. The scenario's client, steps and
agent settings are not used; faults that run a command inside the guest (freeze,
thaw) are refused.

One connection to the agent stays open across client connections, as an agent's port
does. With --agent-cmd the proxy starts the agent itself, and restart-agent or reboot
kills that process (SIGKILL to its process group) and starts it again after the
fault's down time, so the new agent starts with an empty parser. Without --agent-cmd,
restart-agent closes the connection to the agent and reopens it after the down time:
the agent process is the same, and keeps whatever half message its parser held.
pause-agent, continue-agent and stop-agent send the process started with --agent-cmd
SIGSTOP, SIGCONT and SIGTERM; without --agent-cmd they only log that there is no
process to signal. An --agent-cmd that cannot be run, or whose agent exits before it
ever listened on --connect, ends the proxy at once (exit status 2) with the end of the
agent's output; without --agent-cmd the proxy waits for the agent as long as the
session lasts.

The agent's messages are found by running the simulated agent's parser over the bytes
the real agent is sent (a shadow: the replies are the real agent's), so the trace and
the report know each request. The listener, the report and the exit status are
serve's (qgasim serve --help); behind a proxy is a real guest, where guest-exec runs as
root: keep --listen on a unix socket or loopback. See docs/live.md.`,
		Example: `  qgasim proxy restart-mid-reply --listen unix:/tmp/proxy.sock \
      --connect unix:/tmp/qga.sock --agent-cmd 'qemu-ga -m unix-listen -p /tmp/qga.sock -t /tmp/qgastate'
  qgasim proxy my.yaml --listen unix:/tmp/p.sock --connect unix:/var/lib/libvirt/qemu/channel/target/vm.org.qemu.guest_agent.0`,
		Args:              exactArgs(1, "one scenario file"),
		ValidArgsFunction: completeScenario,
		RunE: func(cmd *cobra.Command, args []string) error {
			if connect == "" {
				return usageError{errors.New("--connect is required: the real agent's unix:PATH or tcp:HOST:PORT")}
			}
			var logTo *os.File
			if agentLog != "" {
				if agentCmd == "" {
					return usageError{errors.New("--agent-log needs --agent-cmd")}
				}
				lf, err := os.OpenFile(agentLog, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o666)
				if err != nil {
					return fmt.Errorf("--agent-log: %w", err)
				}
				defer lf.Close()
				logTo = lf
			}
			up, err := upstream.New(connect, agentCmd, logTo)
			if err != nil {
				return usageError{fmt.Errorf("--connect/--agent-cmd: %w", err)}
			}
			return runLive(cmd, "proxy", &f, args[0], up)
		},
	}
	f.add(cmd)
	fs := cmd.Flags()
	fs.StringVar(&connect, "connect", "", "the real agent's socket: `unix:PATH` or tcp:HOST:PORT (required)")
	fs.StringVar(&agentCmd, "agent-cmd", "", "start the agent with this `command` line (split into words, no shell) and restart it for restart-agent")
	fs.StringVar(&agentLog, "agent-log", "", "append the started agent's output to `FILE` (default: discarded)")
	return cmd
}
