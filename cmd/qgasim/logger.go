package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/qgasim/qgasim/internal/outfile"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// newLogger logs to file, or, when file is empty, to stderr: the command's
// standard error, whose control characters are escaped (a host's bytes
// name the commands that the agent logs). The file is appended to, and
// never one of inputs (the files the command reads).
func newLogger(file string, inputs []string, verbose bool, stderr io.Writer) (*zap.Logger, error) {
	cfg := zap.NewDevelopmentConfig()
	cfg.DisableStacktrace = true
	cfg.Level = zap.NewAtomicLevelAt(zap.InfoLevel)
	if verbose {
		cfg.Level = zap.NewAtomicLevelAt(zap.DebugLevel)
	}
	var sink zapcore.WriteSyncer
	if file != "" {
		f, err := outfile.OpenLog(file, inputs)
		if err != nil {
			return nil, err
		}
		sink = zapcore.Lock(f)
	} else {
		sink = zapcore.Lock(zapcore.AddSync(stderr))
	}
	core := zapcore.NewCore(zapcore.NewConsoleEncoder(cfg.EncoderConfig), sink, cfg.Level)
	return zap.New(core, zap.ErrorOutput(sink), zap.Development(), zap.AddCaller()), nil
}

// defaultLogPath is where a log goes when the terminal UI has the terminal
// and the user named no file: name in a directory of this user's own (the
// user cache directory's qgasim/, made 0700), never a fixed name in a
// shared temporary directory, where another user could plant a symbolic
// link to a file of ours for the log to be appended to. Without a cache
// directory (no home), a new private temporary directory (0700, random
// name) holds it; the commands say where the log went.
func defaultLogPath(name string) (string, error) {
	if base, err := os.UserCacheDir(); err == nil {
		dir := filepath.Join(base, "qgasim")
		if err := os.MkdirAll(dir, 0o700); err == nil {
			return filepath.Join(dir, name), nil
		}
	}
	dir, err := os.MkdirTemp("", "qgasim-log-")
	if err != nil {
		return "", fmt.Errorf("no directory for the log (%v): name a file with --log", err)
	}
	return filepath.Join(dir, name), nil
}

// defaultLogHelp says where defaultLogPath puts name, for --help.
func defaultLogHelp(name string) string {
	if base, err := os.UserCacheDir(); err == nil {
		return filepath.Join(base, "qgasim", name)
	}
	return filepath.Join("$XDG_CACHE_HOME", "qgasim", name)
}
