package main

import (
	"io"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// newLogger logs to file, or, when file is empty, to stderr: the command's
// standard error, whose control characters are escaped (a host's bytes
// name the commands that the agent logs).
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
	sink := zapcore.Lock(zapcore.AddSync(stderr))
	core := zapcore.NewCore(zapcore.NewConsoleEncoder(cfg.EncoderConfig), sink, cfg.Level)
	return zap.New(core, zap.ErrorOutput(sink), zap.Development(), zap.AddCaller()), nil
}
