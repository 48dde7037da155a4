package scenarios

import (
	"math"
	"time"

	"github.com/goccy/go-yaml/ast"

	"github.com/qgasim/qgasim/sim/agent"
)

// The simulated guest's facts (agent.Config: guest.go in sim/agent), the
// agent section's structured keys. A list left out takes the default
// guest's (defaults.go in sim/agent); an empty list means none.

// noneOr is a list where "none" ([]) differs from "left out" (the
// default): an empty list read is kept empty, not nil.
func noneOr[V any](c codec[V]) codec[[]V] {
	l := listOf(c)
	read := l.read
	l.read = func(d *decoder, n ast.Node, path string) ([]V, bool) {
		vs, ok := read(d, n, path)
		if vs == nil {
			vs = []V{}
		}
		return vs, ok
	}
	l.zero = func(vs []V) bool { return vs == nil }
	return l
}

// element is the codec of a list element that is a mapping: a section read
// over the value def gives (nil: the zero value), for keys that do not
// default to zero (a processor is online unless it says so: such keys are
// declared with fieldAlways so that a written file says every value), and
// that must have its required keys.
func element[T any](s section[T], doc string, def func() T, required ...string) codec[T] {
	c := s.codec(doc)
	c.read = func(d *decoder, n ast.Node, path string) (T, bool) {
		var t T
		if def != nil {
			t = def()
		}
		n0 := len(d.probs)
		seen := s.read(d, n, path, &t)
		for _, k := range required {
			if _, ok := seen[k]; !ok {
				d.errf(n, "%s: %s is required", path, k)
			}
		}
		return t, len(d.probs) == n0
	}
	return c
}

// u64Codec is a counter or a size: an integer ≥ 0 that fits 64 bits.
var u64Codec = seedCodec

// loginTimeCodec is a time in seconds since the epoch, with a fraction.
var loginTimeCodec = codec[float64]{doc: "number ≥ 0",
	read: func(d *decoder, n ast.Node, path string) (float64, bool) {
		v, ok := d.number(n, path)
		if ok && (math.IsNaN(v) || math.IsInf(v, 0) || v < 0) {
			d.errf(n, "%s must be a finite number of seconds ≥ 0, not %v", path, v)
			return 0, false
		}
		return v, ok
	},
	write:  func(v float64) *ynode { return scalarNode(fmtNum(v)) },
	zero:   func(v float64) bool { return v == 0 },
	schema: func() jsonObj { return jsonObj{}.set("type", "number").set("minimum", 0) },
}

var ipTypes = func() []string { return []string{"ipv4", "ipv6"} }

var addressSection = section[agent.IPAddress]{
	fieldAlways("address", nameCodec, func(a *agent.IPAddress) *string { return &a.Address }, "required", "the address, `10.0.2.15` or `fe80::1`"),
	field("type", enumCodec(ipTypes), func(a *agent.IPAddress) *string { return &a.Type }, "from the address", "`ipv4` or `ipv6`"),
	field("prefix", intCodec[int](0, 128), func(a *agent.IPAddress) *int { return &a.Prefix }, "`0`", "the prefix length"),
	field("from", durCodec, func(a *agent.IPAddress) *time.Duration { return &a.From }, "`0s`",
		"when the address is assigned (a DHCP lease): it is not listed before"),
}

var netStatsSection = section[agent.NetStats]{
	field("rx-bytes", u64Codec, func(s *agent.NetStats) *uint64 { return &s.RxBytes }, "`0`", "bytes received"),
	field("rx-packets", u64Codec, func(s *agent.NetStats) *uint64 { return &s.RxPackets }, "`0`", "packets received"),
	field("rx-errs", u64Codec, func(s *agent.NetStats) *uint64 { return &s.RxErrs }, "`0`", "bad packets received"),
	field("rx-dropped", u64Codec, func(s *agent.NetStats) *uint64 { return &s.RxDropped }, "`0`", "packets dropped on receive"),
	field("tx-bytes", u64Codec, func(s *agent.NetStats) *uint64 { return &s.TxBytes }, "`0`", "bytes sent"),
	field("tx-packets", u64Codec, func(s *agent.NetStats) *uint64 { return &s.TxPackets }, "`0`", "packets sent"),
	field("tx-errs", u64Codec, func(s *agent.NetStats) *uint64 { return &s.TxErrs }, "`0`", "send errors"),
	field("tx-dropped", u64Codec, func(s *agent.NetStats) *uint64 { return &s.TxDropped }, "`0`", "packets dropped on send"),
}

var interfaceSection = section[agent.Interface]{
	fieldAlways("name", nameCodec, func(i *agent.Interface) *string { return &i.Name }, "required", "the interface, `ens3`"),
	field("hardware-address", strCodec, func(i *agent.Interface) *string { return &i.HardwareAddress }, "none", "its MAC address"),
	field("addresses", listOf(element(addressSection, "mapping", nil, "address")), func(i *agent.Interface) *[]agent.IPAddress { return &i.Addresses },
		"none", "its IP addresses: `address`, `type`, `prefix`, `from`"),
	field("statistics", ptrOf(netStatsSection.codec("mapping")), func(i *agent.Interface) **agent.NetStats { return &i.Stats },
		"none", "its counters: `rx-bytes`, `rx-packets`, `rx-errs`, `rx-dropped`, and the same for `tx`"),
}

// diskBusTypes are qemu-ga 7.2's GuestDiskBusType.
var diskBusTypes = func() []string {
	return []string{"ide", "fdc", "scsi", "virtio", "xen", "usb", "uml", "sata", "sd", "unknown", "ieee1394", "ssa",
		"fibre", "raid", "iscsi", "sas", "mmc", "virtual", "file-backed-virtual", "nvme"}
}

var pciSection = section[agent.PCIAddress]{
	field("domain", intCodec[int64](0, math.MaxInt32), func(p *agent.PCIAddress) *int64 { return &p.Domain }, "`0`", "PCI domain"),
	field("bus", intCodec[int64](0, 255), func(p *agent.PCIAddress) *int64 { return &p.Bus }, "`0`", "PCI bus"),
	field("slot", intCodec[int64](0, 31), func(p *agent.PCIAddress) *int64 { return &p.Slot }, "`0`", "PCI slot"),
	field("function", intCodec[int64](0, 7), func(p *agent.PCIAddress) *int64 { return &p.Function }, "`0`", "PCI function"),
}

var diskAddressSection = section[agent.DiskAddress]{
	field("pci", pciSection.codec("mapping"), func(a *agent.DiskAddress) *agent.PCIAddress { return &a.PCI }, "0000:00:00.0",
		"the controller's PCI address: `domain`, `bus`, `slot`, `function`"),
	fieldAlways("bus-type", enumCodec(diskBusTypes), func(a *agent.DiskAddress) *string { return &a.BusType }, "required", "the bus"),
	field("bus", intCodec[int64](0, math.MaxInt32), func(a *agent.DiskAddress) *int64 { return &a.Bus }, "`0`", "bus id"),
	field("target", intCodec[int64](0, math.MaxInt32), func(a *agent.DiskAddress) *int64 { return &a.Target }, "`0`", "target id"),
	field("unit", intCodec[int64](0, math.MaxInt32), func(a *agent.DiskAddress) *int64 { return &a.Unit }, "`0`", "unit id"),
	field("serial", strCodec, func(a *agent.DiskAddress) *string { return &a.Serial }, "none", "serial number"),
	field("dev", strCodec, func(a *agent.DiskAddress) *string { return &a.Dev }, "none", "device node, `/dev/vda`"),
}

var fileSystemSection = section[agent.FileSystem]{
	fieldAlways("name", nameCodec, func(f *agent.FileSystem) *string { return &f.Name }, "required", "the block device, `vda1`"),
	fieldAlways("mountpoint", nameCodec, func(f *agent.FileSystem) *string { return &f.Mountpoint }, "required", "where it is mounted"),
	fieldAlways("type", nameCodec, func(f *agent.FileSystem) *string { return &f.Type }, "required", "`ext4`, `xfs`, `vfat`..."),
	field("used-bytes", u64Codec, func(f *agent.FileSystem) *uint64 { return &f.UsedBytes }, "none", "bytes used"),
	field("total-bytes", u64Codec, func(f *agent.FileSystem) *uint64 { return &f.TotalBytes }, "none", "bytes in all"),
	field("disks", listOf(element(diskAddressSection, "mapping", nil, "bus-type")), func(f *agent.FileSystem) *[]agent.DiskAddress { return &f.Disks },
		"none", "the disks it lies on: `pci`, `bus-type`, `bus`, `target`, `unit`, `serial`, `dev`"),
}

var diskSection = section[agent.Disk]{
	fieldAlways("name", nameCodec, func(d *agent.Disk) *string { return &d.Name }, "required", "the device, `/dev/vda`"),
	field("partition", boolCodec, func(d *agent.Disk) *bool { return &d.Partition }, "`false`", "a partition, not a disk"),
	field("dependencies", noneOr(strCodec), func(d *agent.Disk) *[]string { return &d.Dependencies }, "none",
		"the devices it lies on (a partition's disk)"),
	field("address", ptrOf(element(diskAddressSection, "mapping", nil, "bus-type")), func(d *agent.Disk) **agent.DiskAddress { return &d.Address },
		"none", "where a disk is attached"),
	field("alias", strCodec, func(d *agent.Disk) *string { return &d.Alias }, "none", "a device-mapper name"),
}

var diskIOSection = section[agent.DiskIOStats]{
	field("read-sectors", u64Codec, func(s *agent.DiskIOStats) *uint64 { return &s.ReadSectors }, "`0`", ""),
	field("read-ios", u64Codec, func(s *agent.DiskIOStats) *uint64 { return &s.ReadIOs }, "`0`", ""),
	field("read-merges", u64Codec, func(s *agent.DiskIOStats) *uint64 { return &s.ReadMerges }, "`0`", ""),
	field("write-sectors", u64Codec, func(s *agent.DiskIOStats) *uint64 { return &s.WriteSectors }, "`0`", ""),
	field("write-ios", u64Codec, func(s *agent.DiskIOStats) *uint64 { return &s.WriteIOs }, "`0`", ""),
	field("write-merges", u64Codec, func(s *agent.DiskIOStats) *uint64 { return &s.WriteMerges }, "`0`", ""),
	field("discard-sectors", u64Codec, func(s *agent.DiskIOStats) *uint64 { return &s.DiscardSectors }, "`0`", ""),
	field("discard-ios", u64Codec, func(s *agent.DiskIOStats) *uint64 { return &s.DiscardIOs }, "`0`", ""),
	field("discard-merges", u64Codec, func(s *agent.DiskIOStats) *uint64 { return &s.DiscardMerges }, "`0`", ""),
	field("flush-ios", u64Codec, func(s *agent.DiskIOStats) *uint64 { return &s.FlushIOs }, "`0`", ""),
	field("read-ticks", u64Codec, func(s *agent.DiskIOStats) *uint64 { return &s.ReadTicks }, "`0`", ""),
	field("write-ticks", u64Codec, func(s *agent.DiskIOStats) *uint64 { return &s.WriteTicks }, "`0`", ""),
	field("discard-ticks", u64Codec, func(s *agent.DiskIOStats) *uint64 { return &s.DiscardTicks }, "`0`", ""),
	field("flush-ticks", u64Codec, func(s *agent.DiskIOStats) *uint64 { return &s.FlushTicks }, "`0`", ""),
	field("ios-pgr", u64Codec, func(s *agent.DiskIOStats) *uint64 { return &s.IOsInProgress }, "`0`", ""),
	field("total-ticks", u64Codec, func(s *agent.DiskIOStats) *uint64 { return &s.TotalTicks }, "`0`", ""),
	field("weight-ticks", u64Codec, func(s *agent.DiskIOStats) *uint64 { return &s.WeightTicks }, "`0`", ""),
}

var diskStatSection = section[agent.DiskStat]{
	fieldAlways("name", nameCodec, func(d *agent.DiskStat) *string { return &d.Name }, "required", "the device, `vda`"),
	field("major", u64Codec, func(d *agent.DiskStat) *uint64 { return &d.Major }, "`0`", "its major number"),
	field("minor", u64Codec, func(d *agent.DiskStat) *uint64 { return &d.Minor }, "`0`", "its minor number"),
	field("stats", diskIOSection.codec("mapping"), func(d *agent.DiskStat) *agent.DiskIOStats { return &d.Stats }, "zeros",
		"the counters of /proc/diskstats, named as guest-get-diskstats names them (`read-sectors`, `read-ios`, ... `weight-ticks`)"),
}

var vcpuSection = section[agent.VCPU]{
	fieldAlways("id", intCodec[int64](0, math.MaxInt32), func(c *agent.VCPU) *int64 { return &c.ID }, "required", "the logical id, N of cpuN"),
	fieldAlways("online", boolCodec, func(c *agent.VCPU) *bool { return &c.Online }, "`true`", "whether it runs"),
	fieldAlways("can-offline", boolCodec, func(c *agent.VCPU) *bool { return &c.CanOffline }, "`true`",
		"whether it can be switched off (cpu0 cannot, on x86)"),
}

var memoryBlockSection = section[agent.MemoryBlock]{
	fieldAlways("index", u64Codec, func(b *agent.MemoryBlock) *uint64 { return &b.Index }, "required", "N of memoryN"),
	fieldAlways("online", boolCodec, func(b *agent.MemoryBlock) *bool { return &b.Online }, "`true`", "whether it is in use"),
	fieldAlways("can-offline", boolCodec, func(b *agent.MemoryBlock) *bool { return &b.CanOffline }, "`true`", "whether it can be removed"),
}

var userSection = section[agent.User]{
	fieldAlways("name", nameCodec, func(u *agent.User) *string { return &u.Name }, "required", "the user"),
	field("login-time", loginTimeCodec, func(u *agent.User) *float64 { return &u.LoginTime }, "`0`",
		"when the session began, in seconds since 1970 (`1764000000.25`)"),
}

var accountSection = section[agent.Account]{
	fieldAlways("name", nameCodec, func(a *agent.Account) *string { return &a.Name }, "required", "the user"),
	fieldAlways("home", nameCodec, func(a *agent.Account) *string { return &a.Home }, "required",
		"its home directory, where `.ssh/authorized_keys` is kept"),
}

var timezoneSection = section[agent.Timezone]{
	field("zone", strCodec, func(t *agent.Timezone) *string { return &t.Zone }, "`UTC`", "the zone's abbreviation, `CET`"),
	field("offset", intCodec[int](-86400, 86400), func(t *agent.Timezone) *int { return &t.Offset }, "`0`", "seconds east of UTC"),
}

var suspendModeCodec = func() codec[string] {
	c := enumCodec(func() []string { return []string{"disk", "ram", "hybrid"} })
	c.doc = "suspend mode"
	return c
}()

// guestKeys are the agent section's keys for the simulated guest's facts.
var guestKeys = section[agent.Config]{
	field("interfaces", noneOr(element(interfaceSection, "interface", nil, "name")), func(a *agent.Config) *[]agent.Interface { return &a.Interfaces },
		"`lo`, `ens3`", "guest-network-get-interfaces: `name`, `hardware-address`, `addresses`, `statistics`"),
	field("file-systems", noneOr(element(fileSystemSection, "file system", nil, "name", "mountpoint", "type")), func(a *agent.Config) *[]agent.FileSystem { return &a.FileSystems },
		"`/` and `/boot/efi` on `vda`", "guest-get-fsinfo, and what the freeze commands freeze: `name`, `mountpoint`, `type`, `used-bytes`, `total-bytes`, `disks`"),
	field("disks", noneOr(element(diskSection, "disk", nil, "name")), func(a *agent.Config) *[]agent.Disk { return &a.Disks },
		"`/dev/vda` and its partitions", "guest-get-disks: `name`, `partition`, `dependencies`, `address`, `alias`"),
	field("disk-stats", noneOr(element(diskStatSection, "disk", nil, "name")), func(a *agent.Config) *[]agent.DiskStat { return &a.DiskStats },
		"`vda` and its partitions", "guest-get-diskstats: `name`, `major`, `minor`, `stats`"),
	field("vcpus", noneOr(element(vcpuSection, "processor", func() agent.VCPU { return agent.VCPU{Online: true, CanOffline: true} }, "id")),
		func(a *agent.Config) *[]agent.VCPU { return &a.VCPUs }, "cpu0 (fixed) and cpu1",
		"guest-get-vcpus: `id`, `online`, `can-offline`; listed in sysfs order"),
	field("memory-block-size", u64Codec, func(a *agent.Config) *uint64 { return &a.MemoryBlockSize }, "`134217728`",
		"guest-get-memory-block-info: bytes in a block"),
	field("memory-blocks", noneOr(element(memoryBlockSection, "block", func() agent.MemoryBlock { return agent.MemoryBlock{Online: true, CanOffline: true} }, "index")),
		func(a *agent.Config) *[]agent.MemoryBlock { return &a.MemoryBlocks }, "16 blocks",
		"guest-get-memory-blocks: `index`, `online`, `can-offline`; listed in sysfs order"),
	field("users", noneOr(element(userSection, "user", nil, "name")), func(a *agent.Config) *[]agent.User { return &a.Users }, "none",
		"guest-get-users: the sessions, `name` and `login-time`"),
	field("accounts", noneOr(element(accountSection, "account", nil, "name", "home")), func(a *agent.Config) *[]agent.Account { return &a.Accounts },
		"`root`, `debian`", "the users guest-set-user-password and the SSH key commands know: `name`, `home`"),
	field("timezone", timezoneSection.codec("mapping"), func(a *agent.Config) *agent.Timezone { return &a.Timezone }, "UTC",
		"guest-get-timezone: `zone`, `offset`"),
	field("suspend-modes", listOf(suspendModeCodec), func(a *agent.Config) *[]string { return &a.SuspendModes }, "none",
		"the guest-suspend-* modes the guest supports, of `disk`, `ram`, `hybrid` (then it suspends: no reply)"),
	field("uptime", durCodec, func(a *agent.Config) *time.Duration { return &a.Uptime }, "`40s`",
		"how long the guest has been up when the run starts (guest-get-cpustats counts from boot)"),
}

// guestTables documents the nested keys of the guest's facts, one table
// each.
func guestTables() string {
	tables := []struct{ title, table string }{
		{"`interfaces` (each)", interfaceSection.table()},
		{"An interface's `addresses` (each)", addressSection.table()},
		{"An interface's `statistics`", netStatsSection.table()},
		{"`file-systems` (each)", fileSystemSection.table()},
		{"A disk address (a file system's `disks`, a disk's `address`)", diskAddressSection.table()},
		{"A disk address's `pci`", pciSection.table()},
		{"`disks` (each)", diskSection.table()},
		{"`disk-stats` (each)", diskStatSection.table()},
		{"`vcpus` (each)", vcpuSection.table()},
		{"`memory-blocks` (each)", memoryBlockSection.table()},
		{"`users` (each)", userSection.table()},
		{"`accounts` (each)", accountSection.table()},
		{"`timezone`", timezoneSection.table()},
	}
	out := ""
	for i, t := range tables {
		if i > 0 {
			out += "\n"
		}
		out += t.title + ":\n\n" + t.table
	}
	return out
}
