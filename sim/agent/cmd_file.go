package agent

import (
	"encoding/base64"
	"io"
	"os"
	"strconv"

	"github.com/qgasim/qgasim/sim/qjson"
)

// openFile is a guest-file handle: an open file of the guest's FS and
// what its mode allows.
type openFile struct {
	f File
}

// readCountDefault is QGA_READ_COUNT_DEFAULT, the count of a read without
// one; readCountMax is the most one read may ask for (48 MiB).
const (
	readCountDefault = 4096
	readCountMax     = 48 << 20
)

// openFlags are fopen's modes as open(2) flags.
var openFlags = map[string]int{
	"r": os.O_RDONLY, "rb": os.O_RDONLY,
	"w": os.O_WRONLY | os.O_CREATE | os.O_TRUNC, "wb": os.O_WRONLY | os.O_CREATE | os.O_TRUNC,
	"a": os.O_WRONLY | os.O_CREATE | os.O_APPEND, "ab": os.O_WRONLY | os.O_CREATE | os.O_APPEND,
	"r+": os.O_RDWR, "rb+": os.O_RDWR, "r+b": os.O_RDWR,
	"w+": os.O_RDWR | os.O_CREATE | os.O_TRUNC, "wb+": os.O_RDWR | os.O_CREATE | os.O_TRUNC, "w+b": os.O_RDWR | os.O_CREATE | os.O_TRUNC,
	"a+": os.O_RDWR | os.O_CREATE | os.O_APPEND, "ab+": os.O_RDWR | os.O_CREATE | os.O_APPEND, "a+b": os.O_RDWR | os.O_CREATE | os.O_APPEND,
}

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
	flags, ok := openFlags[mode]
	if !ok {
		return qjson.Value{}, genericError("invalid file open mode '" + mode + "'")
	}
	f, err := a.guest.files().OpenFile(path, flags, 0o666)
	if err != nil {
		return qjson.Value{}, genericError("failed to open file '" + path + "' (mode: '" + mode + "'): " + errnoText(err))
	}
	h := a.persist.FDCounter
	a.persist.FDCounter++
	a.files[h] = &openFile{f: f}
	return qjson.IntValue(h), nil
}

// guest-file-close forgets a handle.
func cmdFileClose(a *Agent, in *args, r *Reply) (qjson.Value, *cmdError) {
	h, _ := in.Int("handle", false)
	if !in.Done() {
		return qjson.Value{}, in.err
	}
	f := a.files[h]
	if f == nil {
		return qjson.Value{}, handleNotFound(h)
	}
	delete(a.files, h)
	if err := f.f.Close(); err != nil {
		return qjson.Value{}, genericError("failed to close handle: " + errnoText(err))
	}
	return noReturn, nil
}

// guest-file-flush: the simulated guest writes through, so there is nothing
// left to flush; the handle must exist.
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
	} else if count < 0 || count > readCountMax {
		return qjson.Value{}, genericError("value '" + strconv.FormatInt(count, 10) + "' is invalid for argument count")
	}
	buf := make([]byte, count)
	n := 0
	for n < len(buf) {
		k, err := f.f.Read(buf[n:])
		n += k
		if err == io.EOF || k == 0 && err == nil {
			break
		}
		if err != nil {
			return qjson.Value{}, genericError("failed to read file: " + errnoText(err))
		}
	}
	// A short read hit the end of the file. qemu-ga clears stdio's EOF flag
	// after every read, so the flag is not sticky: a read of 0 bytes after
	// the end reports false.
	eof := int64(n) < count
	d := qjson.NewDict()
	d.Put("count", qjson.IntValue(int64(n)))
	d.Put("buf-b64", qjson.StringValue(base64.StdEncoding.EncodeToString(buf[:n])))
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
	if count > 0 {
		if _, err := f.f.Write(data[:count]); err != nil {
			return qjson.Value{}, genericError("failed to write to file: " + errnoText(err))
		}
	}
	d := qjson.NewDict()
	d.Put("count", qjson.IntValue(count))
	// The EOF flag was cleared after the last read and a write never sets it.
	d.Put("eof", qjson.BoolValue(false))
	return qjson.ObjectValue(d), nil
}

// guest-file-seek moves a handle's position, as fseek does, and returns
// {"position", "eof"}. The whence is a code (0 set, 1 cur, 2 end) or a name.
func cmdFileSeek(a *Agent, in *args, r *Reply) (qjson.Value, *cmdError) {
	h, _ := in.Int("handle", false)
	off, _ := in.Int("offset", false)
	wh, _ := in.Whence("whence")
	if !in.Done() {
		return qjson.Value{}, in.err
	}
	f := a.files[h]
	if f == nil {
		return qjson.Value{}, handleNotFound(h)
	}
	var whence int
	switch {
	case wh.numeric && wh.code >= 0 && wh.code <= 2:
		whence = int(wh.code) // io.SeekStart, io.SeekCurrent, io.SeekEnd
	case wh.numeric:
		return qjson.Value{}, genericError("invalid whence code " + strconv.FormatInt(wh.code, 10))
	case wh.name == "cur":
		whence = io.SeekCurrent
	case wh.name == "end":
		whence = io.SeekEnd
	}
	pos, err := f.f.Seek(off, whence)
	if err != nil {
		return qjson.Value{}, genericError("failed to seek file: " + errnoText(err))
	}
	d := qjson.NewDict()
	d.Put("position", qjson.IntValue(pos))
	// fseek clears the end-of-file flag.
	d.Put("eof", qjson.BoolValue(false))
	return qjson.ObjectValue(d), nil
}
