package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"net"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"go.uber.org/zap"

	"github.com/qgasim/qgasim/sim/agent"
)

func runAgent(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("qgasim agent", flag.ContinueOnError)
	fs.SetOutput(stderr)
	stdio := fs.Bool("stdio", false, "read host bytes on stdin, write agent bytes on stdout")
	listen := fs.String("listen", "", "serve on `unix:PATH` (mode 0600), one client at a time, as qemu-ga -m unix-listen")
	blocked := fs.String("block-rpcs", "", "comma-separated `commands` to disable, as qemu-ga -b")
	logFile := fs.String("log", "", "write logs to `FILE` instead of stderr")
	verbose := fs.Bool("v", false, "log every request and reply")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: qgasim agent (--stdio | --listen unix:PATH) [flags]")
		fmt.Fprintln(stderr)
		fmt.Fprintln(stderr, "Runs the simulated qemu-ga 7.2 against real bytes. With --stdio it reads the host's")
		fmt.Fprintln(stderr, "bytes from stdin and writes the agent's to stdout; at EOF it exits without answering")
		fmt.Fprintln(stderr, "a request still incomplete. With --listen it serves a unix socket like")
		fmt.Fprintln(stderr, "'qemu-ga -m unix-listen': one client at a time, the parser kept across clients.")
		fmt.Fprintln(stderr)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitBadInput
	}
	if fs.NArg() > 0 || *stdio == (*listen != "") {
		fmt.Fprintln(stderr, "qgasim agent: give exactly one of --stdio or --listen unix:PATH")
		fs.Usage()
		return exitBadInput
	}
	log, err := newLogger(*logFile, *verbose, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "qgasim agent: %v\n", err)
		return exitBadInput
	}
	defer func() { _ = log.Sync() }()
	cfg := agent.Config{}
	if *blocked != "" {
		cfg.Blocked = strings.Split(*blocked, ",")
	}
	a := agent.New(cfg, nil)
	if *stdio {
		if err := serveStream(a, os.Stdin, stdout, log); err != nil {
			log.Error("stdio", zap.Error(err))
			return exitFailed
		}
		return exitOK
	}
	path, ok := strings.CutPrefix(*listen, "unix:")
	if !ok || path == "" {
		fmt.Fprintf(stderr, "qgasim agent: --listen wants unix:PATH, got %q\n", *listen)
		return exitBadInput
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	if err := serveUnix(ctx, a, path, log); err != nil {
		fmt.Fprintf(stderr, "qgasim agent: %v\n", err)
		return exitFailed
	}
	return exitOK
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

func newLogger(file string, verbose bool, stderr io.Writer) (*zap.Logger, error) {
	cfg := zap.NewDevelopmentConfig()
	cfg.DisableStacktrace = true
	cfg.Level = zap.NewAtomicLevelAt(zap.InfoLevel)
	if verbose {
		cfg.Level = zap.NewAtomicLevelAt(zap.DebugLevel)
	}
	if file != "" {
		cfg.OutputPaths = []string{file}
		cfg.ErrorOutputPaths = []string{file}
		return cfg.Build()
	}
	cfg.OutputPaths = []string{"stderr"}
	if stderr != os.Stderr {
		cfg.Level = zap.NewAtomicLevelAt(zap.ErrorLevel)
	}
	return cfg.Build()
}
