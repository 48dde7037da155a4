package main

import (
	"io"

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
