package agent

import "github.com/qgasim/qgasim/sim/qjson"

// handler runs a command: it reads its arguments through in (which checks
// them as QEMU's generated marshaller does) and returns the result,
// noReturn for a command without one (the reply is then {"return": {}}).
type handler func(a *Agent, in *args, r *Reply) (qjson.Value, *cmdError)

type command struct {
	name            string
	successResponse bool // false: no reply at all on success
	fn              handler
}

// commandOrder is qemu-ga 7.2's command list on Linux, in the order
// guest-info reports it (taken from the real agent).
var commandOrder = []string{
	"guest-get-cpustats", "guest-get-diskstats", "guest-ssh-remove-authorized-keys",
	"guest-ssh-add-authorized-keys", "guest-ssh-get-authorized-keys", "guest-get-devices",
	"guest-get-osinfo", "guest-get-timezone", "guest-get-users", "guest-get-host-name",
	"guest-exec", "guest-exec-status", "guest-get-memory-block-info", "guest-set-memory-blocks",
	"guest-get-memory-blocks", "guest-set-user-password", "guest-get-fsinfo", "guest-get-disks",
	"guest-set-vcpus", "guest-get-vcpus", "guest-network-get-interfaces", "guest-suspend-hybrid",
	"guest-suspend-ram", "guest-suspend-disk", "guest-fstrim", "guest-fsfreeze-thaw",
	"guest-fsfreeze-freeze-list", "guest-fsfreeze-freeze", "guest-fsfreeze-status",
	"guest-file-flush", "guest-file-seek", "guest-file-write", "guest-file-read",
	"guest-file-close", "guest-file-open", "guest-shutdown", "guest-info", "guest-set-time",
	"guest-get-time", "guest-ping", "guest-sync", "guest-sync-delimited",
}

// noSuccessResponse are the commands that send nothing when they succeed.
var noSuccessResponse = map[string]bool{
	"guest-shutdown": true, "guest-suspend-disk": true, "guest-suspend-ram": true, "guest-suspend-hybrid": true,
}

// unsupportedOnLinux are disabled from the start, without a reason, and show
// "enabled": false in guest-info.
var unsupportedOnLinux = []string{"guest-get-devices"}

// freezeAllowlist are the commands that stay enabled while the guest is frozen.
var freezeAllowlist = map[string]bool{
	"guest-ping": true, "guest-info": true, "guest-sync": true, "guest-sync-delimited": true,
	"guest-fsfreeze-status": true, "guest-fsfreeze-thaw": true,
}

// frozenReason is the disable reason of every command outside the allowlist
// while the guest is frozen.
const frozenReason = "the agent is in frozen state"

// handlers are the commands, every one of qemu-ga 7.2 on Linux
// (guest-get-devices exists but is disabled, and never runs).
var handlers = map[string]handler{
	"guest-sync":                       cmdSync,
	"guest-sync-delimited":             cmdSyncDelimited,
	"guest-ping":                       cmdPing,
	"guest-info":                       cmdInfo,
	"guest-get-time":                   cmdGetTime,
	"guest-set-time":                   cmdSetTime,
	"guest-get-host-name":              cmdGetHostName,
	"guest-get-osinfo":                 cmdGetOSInfo,
	"guest-shutdown":                   cmdShutdown,
	"guest-suspend-disk":               cmdSuspendDisk,
	"guest-suspend-ram":                cmdSuspendRAM,
	"guest-suspend-hybrid":             cmdSuspendHybrid,
	"guest-exec":                       cmdExec,
	"guest-exec-status":                cmdExecStatus,
	"guest-file-open":                  cmdFileOpen,
	"guest-file-close":                 cmdFileClose,
	"guest-file-read":                  cmdFileRead,
	"guest-file-write":                 cmdFileWrite,
	"guest-file-seek":                  cmdFileSeek,
	"guest-file-flush":                 cmdFileFlush,
	"guest-fsfreeze-status":            cmdFreezeStatus,
	"guest-fsfreeze-freeze":            cmdFreeze,
	"guest-fsfreeze-freeze-list":       cmdFreezeList,
	"guest-fsfreeze-thaw":              cmdThaw,
	"guest-fstrim":                     cmdFstrim,
	"guest-network-get-interfaces":     cmdNetworkInterfaces,
	"guest-get-fsinfo":                 cmdFSInfo,
	"guest-get-disks":                  cmdDisks,
	"guest-get-diskstats":              cmdDiskStats,
	"guest-get-vcpus":                  cmdGetVCPUs,
	"guest-set-vcpus":                  cmdSetVCPUs,
	"guest-get-cpustats":               cmdCPUStats,
	"guest-get-memory-block-info":      cmdMemoryBlockInfo,
	"guest-get-memory-blocks":          cmdGetMemoryBlocks,
	"guest-set-memory-blocks":          cmdSetMemoryBlocks,
	"guest-get-users":                  cmdGetUsers,
	"guest-get-timezone":               cmdGetTimezone,
	"guest-set-user-password":          cmdSetUserPassword,
	"guest-ssh-get-authorized-keys":    cmdSSHGetKeys,
	"guest-ssh-add-authorized-keys":    cmdSSHAddKeys,
	"guest-ssh-remove-authorized-keys": cmdSSHRemoveKeys,
	"guest-get-devices":                cmdGetDevices,
}

var sharedTable = func() map[string]*command {
	t := make(map[string]*command, len(commandOrder))
	for _, name := range commandOrder {
		fn := handlers[name]
		if fn == nil {
			panic("agent: no handler for " + name)
		}
		t[name] = &command{name: name, successResponse: !noSuccessResponse[name], fn: fn}
	}
	return t
}()

// commandNames numbers the commands as commandOrder does, for a lookup by
// name on the hot path without a map.
var commandNames = func() *qjson.Names {
	n := &qjson.Names{}
	for _, name := range commandOrder {
		n.Add(name)
	}
	return n
}()

// commandList is the command table numbered as commandNames.
var commandList = func() []*command {
	l := make([]*command, len(commandOrder))
	for i, name := range commandOrder {
		l[i] = sharedTable[name]
	}
	return l
}()

// commandTable returns the command table; it is read-only and shared.
func commandTable() map[string]*command { return sharedTable }

// guest-get-devices is Windows-only: on Linux qemu-ga 7.2 lists it but
// keeps it disabled, so dispatch never gets here.
func cmdGetDevices(a *Agent, in *args, r *Reply) (qjson.Value, *cmdError) {
	if !in.Done() {
		return qjson.Value{}, in.err
	}
	return qjson.ArrayValue(), nil
}

func (a *Agent) disableForFreeze() {
	for i, name := range commandOrder {
		if !freezeAllowlist[name] {
			a.states[i].enabled, a.states[i].reason = false, frozenReason
		}
	}
}

func (a *Agent) enableAfterThaw() {
	blocked := map[string]bool{}
	for _, n := range a.cfg.Blocked {
		blocked[n] = true
	}
	for _, n := range unsupportedOnLinux {
		blocked[n] = true
	}
	for i, name := range commandOrder {
		if !blocked[name] {
			a.states[i].enabled, a.states[i].reason = true, ""
		}
	}
}

// noReturn is the result of a command without one: an object with no
// members, written as {}.
var noReturn = qjson.Value{Kind: qjson.Object}

// internStrings are decoded without an allocation: the members of a
// request and of common arguments, and every command name.
var internStrings = append([]string{"execute", "arguments", "id", "exec-oob", "path", "mode", "handle",
	"count", "buf-b64", "pid", "arg", "env", "input-data", "capture-output"}, commandOrder...)
