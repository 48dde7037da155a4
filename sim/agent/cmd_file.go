package agent

import (
	"encoding/base64"
	"strconv"
	"strings"

	"github.com/qgasim/qgasim/sim/qjson"
)

// openFile is a guest-file handle: a position in a file of Config.Files
// (which writes change for the rest of the run).
type openFile struct {
	path string
	pos  int
	mode string
}

// readCountDefault is QGA_READ_COUNT_DEFAULT, the count of a read without one.
const readCountDefault = 4096

var validModes = map[string]bool{"r": true, "rb": true, "w": true, "wb": true, "a": true, "ab": true,
	"r+": true, "rb+": true, "r+b": true, "w+": true, "wb+": true, "w+b": true, "a+": true, "ab+": true, "a+b": true}

// guest-file-open opens a file and returns a handle from the persistent
// counter (1000, 1001, ... across restarts).
func cmdFileOpen(a *Agent, in *args, r *Reply) (qjson.Value, *cmdError) {
	path, _ := in.Str("path", false)
	mode, has := in.Str("mode", true)
	if !in.Done() {
		return qjson.Value{}, in.err
	}
	if !has {
		mode = "r"
	}
	if !validModes[mode] {
		return qjson.Value{}, genericError("invalid file open mode '" + mode + "'")
	}
	content, exists := a.cfg.Files[path]
	switch {
	case !exists && strings.HasPrefix(mode, "r"):
		return qjson.Value{}, genericError("failed to open file '" + path + "' (mode: '" + mode + "'): No such file or directory")
	case strings.HasPrefix(mode, "w"):
		content = []byte{}
	}
	a.cfg.Files[path] = content
	f := &openFile{path: path, mode: mode}
	if strings.HasPrefix(mode, "a") {
		f.pos = len(content)
	}
	h := a.persist.FDCounter
	a.persist.FDCounter++
	a.files[h] = f
	return qjson.IntValue(h), nil
}

// guest-file-close forgets a handle.
func cmdFileClose(a *Agent, in *args, r *Reply) (qjson.Value, *cmdError) {
	h, _ := in.Int("handle", false)
	if !in.Done() {
		return qjson.Value{}, in.err
	}
	if a.files[h] == nil {
		return qjson.Value{}, handleNotFound(h)
	}
	delete(a.files, h)
	return noReturn, nil
}

// guest-file-flush has nothing to flush in memory.
func cmdFileFlush(a *Agent, in *args, r *Reply) (qjson.Value, *cmdError) {
	h, _ := in.Int("handle", false)
	if !in.Done() {
		return qjson.Value{}, in.err
	}
	if a.files[h] == nil {
		return qjson.Value{}, handleNotFound(h)
	}
	return noReturn, nil
}

// guest-file-read returns {"count", "buf-b64", "eof"}.
func cmdFileRead(a *Agent, in *args, r *Reply) (qjson.Value, *cmdError) {
	h, _ := in.Int("handle", false)
	count, has := in.Int("count", true)
	if !in.Done() {
		return qjson.Value{}, in.err
	}
	f := a.files[h]
	if f == nil {
		return qjson.Value{}, handleNotFound(h)
	}
	if !has {
		count = readCountDefault
	} else if count < 0 || count >= 1<<32-1 {
		return qjson.Value{}, genericError("value '" + strconv.FormatInt(count, 10) + "' is invalid for argument count")
	}
	content := a.cfg.Files[f.path]
	n := 0
	if f.pos < len(content) {
		n = int(min(count, int64(len(content)-f.pos)))
	}
	data := content[f.pos : f.pos+n]
	f.pos += n
	// A short read hit the end of the file. qemu-ga clears stdio's EOF flag
	// after every read, so the flag is not sticky: a read of 0 bytes after
	// the end reports false.
	eof := int64(n) < count
	d := qjson.NewDict()
	d.Put("count", qjson.IntValue(int64(n)))
	d.Put("buf-b64", qjson.StringValue(base64.StdEncoding.EncodeToString(data)))
	d.Put("eof", qjson.BoolValue(eof))
	return qjson.ObjectValue(d), nil
}

// guest-file-write writes base64 data and returns {"count", "eof"}.
func cmdFileWrite(a *Agent, in *args, r *Reply) (qjson.Value, *cmdError) {
	h, _ := in.Int("handle", false)
	b64, _ := in.Str("buf-b64", false)
	count, has := in.Int("count", true)
	if !in.Done() {
		return qjson.Value{}, in.err
	}
	f := a.files[h]
	if f == nil {
		return qjson.Value{}, handleNotFound(h)
	}
	data, ok := decodeBase64(b64)
	if !ok {
		return qjson.Value{}, genericError(errBase64Invalid)
	}
	if !has {
		count = int64(len(data))
	} else if count < 0 || count > int64(len(data)) {
		return qjson.Value{}, genericError("value '" + strconv.FormatInt(count, 10) + "' is invalid for argument count")
	}
	content := a.cfg.Files[f.path]
	if strings.HasPrefix(f.mode, "a") {
		f.pos = len(content)
	}
	end := f.pos + int(count)
	if end > len(content) {
		content = append(content, make([]byte, end-len(content))...)
	}
	copy(content[f.pos:end], data[:count])
	a.cfg.Files[f.path] = content
	f.pos = end
	d := qjson.NewDict()
	d.Put("count", qjson.IntValue(count))
	// The EOF flag was cleared after the last read and a write never sets it.
	d.Put("eof", qjson.BoolValue(false))
	return qjson.ObjectValue(d), nil
}
