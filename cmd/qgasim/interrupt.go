package main

import (
	"context"
	"os"
	"os/signal"
	"sync"
	"syscall"
)

// signals is the interrupt handling of a long command: the first SIGINT,
// SIGTERM or SIGHUP (the terminal went away: its default would kill the
// command with no report and leave a temporary output file behind)
// cancels the context, so that the work stops at its next check and
// the command reports what it knows; a second one calls quit and exits at
// once.
type signals struct {
	exit func(int) // os.Exit; a test's own
	ch   chan os.Signal
	done chan struct{}
	once sync.Once
	mu   sync.Mutex
	got  os.Signal // the first signal, nil for none
}

// interruptible returns a context that the first signal cancels.
func interruptible(parent context.Context, quit func()) (context.Context, *signals) {
	if parent == nil {
		parent = context.Background()
	}
	ctx, cancel := context.WithCancel(parent)
	s := &signals{exit: os.Exit, ch: make(chan os.Signal, 2), done: make(chan struct{})}
	signal.Notify(s.ch, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	go func() {
		defer cancel()
		select {
		case sig := <-s.ch:
			s.mu.Lock()
			s.got = sig
			s.mu.Unlock()
			cancel()
		case <-s.done:
			return
		}
		select {
		case <-s.ch:
			quit()
			s.exit(s.status())
		case <-s.done:
		}
	}()
	return ctx, s
}

// stop ends the handling: signals have their default effect again.
func (s *signals) stop() {
	s.once.Do(func() {
		signal.Stop(s.ch)
		close(s.done)
	})
}

// status is the exit status of a command stopped by the signal: 128 plus
// its number, as a shell reports it (130 for SIGINT).
func (s *signals) status() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if sig, ok := s.got.(syscall.Signal); ok {
		return 128 + int(sig)
	}
	return 128 + int(syscall.SIGINT)
}
