package scenarios

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/qgasim/qgasim/sim/agent"
)

// The guest's facts load into agent.Config as written, with the defaults
// of a list element where a key is left out.
func TestGuestKeysLoad(t *testing.T) {
	sc, err := Load("testdata/good/guest.yaml")
	if err != nil {
		t.Fatal(err)
	}
	a := sc.Agent
	want := []agent.IPAddress{{Address: "192.168.122.50", Type: "ipv4", Prefix: 24, From: 8 * time.Second}}
	if len(a.Interfaces) != 2 || !reflect.DeepEqual(a.Interfaces[1].Addresses, want) || a.Interfaces[1].Stats.RxBytes != 1000 {
		t.Errorf("interfaces: %+v", a.Interfaces)
	}
	if fs := a.FileSystems; len(fs) != 1 || fs[0].Disks[0].PCI.Slot != 5 || fs[0].Disks[0].Serial != "QM0001" {
		t.Errorf("file systems: %+v", fs)
	}
	if d := a.Disks; len(d) != 2 || d[0].Dependencies == nil || len(d[0].Dependencies) != 0 || d[0].Address.BusType != "scsi" {
		t.Errorf("disks: %+v", d)
	}
	if v := a.VCPUs; len(v) != 3 || v[2].Online || !v[2].CanOffline || v[0].CanOffline {
		t.Errorf("vcpus: %+v", v)
	}
	if a.MemoryBlockSize != 256<<20 || len(a.MemoryBlocks) != 2 || a.Users[0].LoginTime != 1764000000.25 ||
		a.Timezone != (agent.Timezone{Zone: "CET", Offset: 3600}) || a.SuspendModes[0] != "ram" || a.Uptime != 5*time.Minute {
		t.Errorf("agent: %+v", a)
	}
}

// A list element's keys that default to true: a processor given only its
// id is online and can go offline.
func TestGuestListDefaults(t *testing.T) {
	sc, err := Parse("t.yaml", []byte(head+"agent:\n  vcpus: [{id: 3}]\n  memory-blocks: [{index: 7}]\n  users: []\n"))
	if err != nil {
		t.Fatal(err)
	}
	if v := sc.Agent.VCPUs; len(v) != 1 || !v[0].Online || !v[0].CanOffline || v[0].ID != 3 {
		t.Errorf("vcpus: %+v", v)
	}
	if b := sc.Agent.MemoryBlocks; len(b) != 1 || !b[0].Online || b[0].Index != 7 {
		t.Errorf("memory blocks: %+v", b)
	}
	if u := sc.Agent.Users; u == nil || len(u) != 0 {
		t.Errorf("users: [] must mean none, not the default: %#v", u)
	}
}

func TestGuestKeysProblems(t *testing.T) {
	mustFail(t, head+"agent:\n  interfaces:\n    - {hardware-address: x}\n  vcpus: [{id: -1}]\n  suspend-modes: [sleep]\n"+
		"  users: [{name: bob, login-time: .nan}]\n  timezone: {offset: 999999}\n  file-systems: [{name: a, mountpoint: /, type: ext4, disks: [{bus-type: floppy}]}]\n",
		"agent.interfaces[0]: name is required",
		"agent.vcpus[0].id",
		"agent.suspend-modes[0]",
		"agent.users[0].login-time",
		"agent.timezone.offset",
		"agent.file-systems[0].disks[0].bus-type")
}

// The scenario runs: the address arrives 8 s after boot, as the requests
// before and after it see.
func TestGuestScenarioRuns(t *testing.T) {
	sc, err := Load("testdata/good/guest.yaml")
	if err != nil {
		t.Fatal(err)
	}
	run := execute(t, sc)
	for _, r := range run.Results {
		if !r.Pass {
			t.Errorf("expectation failed: %+v", r)
		}
	}
	first := ""
	for _, ev := range run.Events {
		if ev.Cmd == "guest-network-get-interfaces" && len(ev.Bytes) > 0 && ev.Dir == "a2h" {
			first = string(ev.Bytes)
			break
		}
	}
	if first == "" || strings.Contains(first, "192.168.122.50") {
		t.Errorf("the first reply should come before the address: %q", first)
	}
}
