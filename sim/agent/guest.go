package agent

import "time"

// The facts of the simulated guest that the agent reports: each type is one
// of qemu-ga 7.2's results on Linux, with the fields its schema has. A zero
// field that the real agent would leave out of its reply is left out.

// Interface is a network interface (guest-network-get-interfaces).
type Interface struct {
	Name string
	// HardwareAddress is the MAC address; "" leaves the member out.
	HardwareAddress string
	// Addresses are the interface's IP addresses; with none listed (at the
	// time of the request) the member is left out.
	Addresses []IPAddress
	// Stats are the counters of /proc/net/dev; nil leaves them out.
	Stats *NetStats
}

// IPAddress is one address of an interface.
type IPAddress struct {
	Address string // "10.0.2.15", "fe80::5054:ff:fe12:3456"
	// Type is "ipv4" or "ipv6"; "" is worked out from Address.
	Type   string
	Prefix int
	// From is when the address is assigned (a DHCP lease, SLAAC), in
	// virtual time; before it the interface does not list it. Zero: from
	// the start.
	From time.Duration
}

// NetStats are an interface's counters.
type NetStats struct {
	RxBytes, RxPackets, RxErrs, RxDropped uint64
	TxBytes, TxPackets, TxErrs, TxDropped uint64
}

// FileSystem is a mounted file system (guest-get-fsinfo); its mount point
// is what guest-fsfreeze-freeze-list takes.
type FileSystem struct {
	Name       string // the block device, "vda1"
	Mountpoint string
	Type       string
	// UsedBytes and TotalBytes are what statvfs says; both zero leaves them
	// out, as for a file system statvfs cannot read.
	UsedBytes, TotalBytes uint64
	// Disks are the disks the file system lies on.
	Disks []DiskAddress
}

// PCIAddress is a controller's PCI address.
type PCIAddress struct{ Domain, Bus, Slot, Function int64 }

// DiskAddress is where a disk is attached.
type DiskAddress struct {
	PCI     PCIAddress
	BusType string // "virtio", "scsi", "sata", "ide", "nvme", "usb", ...
	Bus     int64
	Target  int64
	Unit    int64
	Serial  string // "" leaves it out
	Dev     string // "/dev/vda"; "" leaves it out
}

// Disk is a block device (guest-get-disks).
type Disk struct {
	Name      string // "/dev/vda", "/dev/vda1"
	Partition bool
	// Dependencies are the devices this one lies on (a partition's disk).
	Dependencies []string
	// Address is where a disk (not a partition) is attached; nil leaves it out.
	Address *DiskAddress
	// Alias is a device-mapper name; "" leaves it out.
	Alias string
}

// DiskStat is one line of /proc/diskstats (guest-get-diskstats).
type DiskStat struct {
	Name         string
	Major, Minor uint64
	Stats        DiskIOStats
}

// DiskIOStats are a block device's I/O counters (times in ms).
type DiskIOStats struct {
	ReadSectors, ReadIOs, ReadMerges          uint64
	WriteSectors, WriteIOs, WriteMerges       uint64
	DiscardSectors, DiscardIOs, DiscardMerges uint64
	FlushIOs                                  uint64
	ReadTicks, WriteTicks, DiscardTicks       uint64
	FlushTicks, IOsInProgress                 uint64
	TotalTicks, WeightTicks                   uint64
}

// VCPU is a logical processor (guest-get-vcpus, guest-set-vcpus).
type VCPU struct {
	ID     int64
	Online bool
	// CanOffline is false for a processor without an "online" switch
	// (cpu0 on x86).
	CanOffline bool
}

// MemoryBlock is a block of hot-pluggable memory (guest-get-memory-blocks).
type MemoryBlock struct {
	Index      uint64
	Online     bool
	CanOffline bool
}

// User is a logged-in session (guest-get-users): utmp's USER_PROCESS
// entries. A user logged in more than once is reported once, with the
// earliest login.
type User struct {
	Name string
	// LoginTime is in seconds since the epoch, with microseconds.
	LoginTime float64
}

// Account is a passwd entry: the users guest-set-user-password and the SSH
// key commands know.
type Account struct {
	Name string
	Home string
}

// Timezone is the guest's local time zone (guest-get-timezone).
type Timezone struct {
	Zone   string // the abbreviation, "UTC", "CET"; "" leaves it out
	Offset int    // seconds east of UTC
}
