package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/spf13/cobra"
	"go.uber.org/zap"

	"github.com/qgasim/qgasim/sim/agent"
)

// newAgentCmd is `qgasim agent`: the simulated qemu-ga on real bytes.
func newAgentCmd() *cobra.Command {
	var (
		stdio, verbose         bool
		listen, blocked, logTo string
	)
	cmd := &cobra.Command{
		Use:   "agent (--stdio | --listen unix:PATH) [flags]",
		Short: "run the simulated qemu-ga on stdio or a unix socket",
		Long: `Runs the simulated qemu-ga 7.2 against real bytes. With --stdio it reads the host's
bytes from stdin and writes the agent's to stdout; at EOF it exits without answering
a request still incomplete. With --listen it serves a unix socket like
'qemu-ga -m unix-listen': one client at a time, the parser kept across clients.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			stderr := cmd.ErrOrStderr()
			if stdio == (listen != "") {
				return usageError{errors.New("give exactly one of --stdio or --listen unix:PATH")}
			}
			log, err := newLogger(logTo, verbose, stderr)
			if err != nil {
				return err
			}
			defer func() { _ = log.Sync() }()
			cfg := agent.Config{}
			if blocked != "" {
				cfg.Blocked = strings.Split(blocked, ",")
			}
			a := agent.New(cfg, nil)
			if stdio {
				// The agent's bytes, as they are: not text for people.
				if err := serveStream(a, cmd.InOrStdin(), rawOut(cmd), log); err != nil {
					log.Error("stdio", zap.Error(err))
					return exitStatus(exitFailed)
				}
				return nil
			}
			path, ok := strings.CutPrefix(listen, "unix:")
			if !ok || path == "" {
				return usageError{fmt.Errorf("--listen wants unix:PATH, got %q", listen)}
			}
			ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
			defer stop()
			if err := serveUnix(ctx, a, path, log); err != nil {
				fmt.Fprintf(stderr, "%s: %v\n", cmd.CommandPath(), err)
				return exitStatus(exitFailed)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.BoolVar(&stdio, "stdio", false, "read host bytes on stdin, write agent bytes on stdout")
	f.StringVar(&listen, "listen", "", "serve on `unix:PATH` (mode 0600), one client at a time, as qemu-ga -m unix-listen")
	f.StringVar(&blocked, "block-rpcs", "", "comma-separated `commands` to disable, as qemu-ga -b")
	f.StringVar(&logTo, "log", "", "write logs to `FILE` instead of stderr")
	f.BoolVarP(&verbose, "verbose", "v", false, "log every request and reply")
	// --v, as the flag was spelled before -v became --verbose's short form.
	f.BoolVar(&verbose, "v", false, "log every request and reply")
	_ = f.MarkHidden("v")
	return cmd
}

// serveStream feeds every read to the agent and writes its replies at once.
// Virtual time does not matter here: commands answer without latency.
func serveStream(a *agent.Agent, r io.Reader, w io.Writer, log *zap.Logger) error {
	buf := make([]byte, 4096) // qemu-ga reads at most 4096 bytes at a time
	for {
		n, err := r.Read(buf)
		if n > 0 {
			for _, rep := range a.Feed(math.MaxInt64/2, buf[:n]) {
				logReply(log, rep)
				if rep.Bytes == nil {
					continue
				}
				if _, werr := w.Write(rep.Bytes); werr != nil {
					// A reply to a client that left is dropped, as qemu-ga drops it.
					log.Warn("error sending reply", zap.Error(werr))
					return werr
				}
			}
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

func logReply(log *zap.Logger, rep agent.Reply) {
	log.Debug("message",
		zap.Int64("seq", rep.Seq), zap.String("command", rep.Command),
		zap.String("class", rep.Class), zap.String("desc", rep.Desc),
		zap.ByteString("reply", rep.Bytes))
}

// serveUnix serves one client at a time until ctx ends; the agent (and its
// parser) lives across clients, as qemu-ga's does.
func serveUnix(ctx context.Context, a *agent.Agent, path string, log *zap.Logger) error {
	_ = os.Remove(path)
	old := syscall.Umask(0o177)
	ln, err := net.Listen("unix", path)
	syscall.Umask(old)
	if err != nil {
		return err
	}
	if err := os.Chmod(path, 0o600); err != nil {
		ln.Close()
		return err
	}
	log.Info("listening", zap.String("path", path))
	go func() {
		<-ctx.Done()
		ln.Close()
	}()
	defer os.Remove(path)
	for {
		conn, err := ln.Accept()
		if err != nil {
			if ctx.Err() != nil {
				log.Info("shutting down")
				return nil
			}
			return err
		}
		log.Info("client connected")
		done := make(chan struct{})
		go func() {
			select {
			case <-ctx.Done():
				conn.Close()
			case <-done:
			}
		}()
		err = serveStream(a, conn, conn, log)
		close(done)
		conn.Close()
		log.Info("client gone", zap.NamedError("reason", err))
	}
}
