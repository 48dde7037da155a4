package agent

import (
	"strconv"
	"time"
)

// The default guest: a small Debian 12 cloud VM on QEMU/KVM with 2 vCPUs,
// 2 GiB of memory in 16 blocks of 128 MiB, one 20 GiB virtio disk
// (partitions vda1 for /, vda14 for BIOS boot, vda15 for /boot/efi), one
// virtio NIC on QEMU's user network, the accounts root and debian, nobody
// logged in, UTC.

// defaultDisk is where the default disk is attached: PCI slot 4, after the
// NIC in slot 3.
var defaultDisk = DiskAddress{PCI: PCIAddress{Slot: 4}, BusType: "virtio", Dev: "/dev/vda"}

func defaultInterfaces() []Interface {
	return []Interface{
		{Name: "lo", HardwareAddress: "00:00:00:00:00:00",
			Addresses: []IPAddress{{Address: "127.0.0.1", Prefix: 8}, {Address: "::1", Prefix: 128}},
			Stats:     &NetStats{RxBytes: 11_920, RxPackets: 152, TxBytes: 11_920, TxPackets: 152}},
		{Name: "ens3", HardwareAddress: "52:54:00:12:34:56",
			Addresses: []IPAddress{{Address: "10.0.2.15", Prefix: 24}, {Address: "fe80::5054:ff:fe12:3456", Prefix: 64}},
			Stats:     &NetStats{RxBytes: 52_338_611, RxPackets: 38_519, RxDropped: 3, TxBytes: 1_093_177, TxPackets: 12_884}},
	}
}

func defaultFileSystems() []FileSystem {
	return []FileSystem{
		{Name: "vda1", Mountpoint: "/", Type: "ext4", UsedBytes: 1_902_395_392, TotalBytes: 20_397_068_288,
			Disks: []DiskAddress{defaultDisk}},
		{Name: "vda15", Mountpoint: "/boot/efi", Type: "vfat", UsedBytes: 12_858_368, TotalBytes: 129_718_272,
			Disks: []DiskAddress{defaultDisk}},
	}
}

// extraFileSystem is the n-th file system beyond the defaults (n from 0): a
// data disk of its own.
func extraFileSystem(n int) FileSystem {
	dev := "vd" + string(rune('b'+n%24))
	disk := DiskAddress{PCI: PCIAddress{Slot: int64(5 + n)}, BusType: "virtio", Dev: "/dev/" + dev}
	return FileSystem{Name: dev + "1", Mountpoint: "/mnt/data" + strconv.Itoa(n+1), Type: "ext4",
		UsedBytes: 1_077_653_504, TotalBytes: 10_464_022_528, Disks: []DiskAddress{disk}}
}

func defaultDisks() []Disk {
	addr := defaultDisk
	return []Disk{
		{Name: "/dev/vda", Dependencies: []string{}, Address: &addr},
		{Name: "/dev/vda1", Partition: true, Dependencies: []string{"/dev/vda"}},
		{Name: "/dev/vda14", Partition: true, Dependencies: []string{"/dev/vda"}},
		{Name: "/dev/vda15", Partition: true, Dependencies: []string{"/dev/vda"}},
	}
}

func defaultDiskStats() []DiskStat {
	return []DiskStat{
		{Name: "vda", Major: 254, Minor: 0, Stats: DiskIOStats{ReadSectors: 1_015_522, ReadIOs: 13_981, ReadMerges: 4_211,
			WriteSectors: 702_464, WriteIOs: 4_902, WriteMerges: 5_530, DiscardSectors: 36_929_536, DiscardIOs: 31,
			FlushIOs: 1_847, ReadTicks: 7_004, WriteTicks: 3_217, DiscardTicks: 51, FlushTicks: 433,
			TotalTicks: 9_872, WeightTicks: 10_705}},
		{Name: "vda1", Major: 254, Minor: 1, Stats: DiskIOStats{ReadSectors: 1_001_842, ReadIOs: 13_642, ReadMerges: 4_211,
			WriteSectors: 702_456, WriteIOs: 4_901, WriteMerges: 5_530, DiscardSectors: 36_929_536, DiscardIOs: 31,
			ReadTicks: 6_911, WriteTicks: 3_216, DiscardTicks: 51, TotalTicks: 9_640, WeightTicks: 10_178}},
		{Name: "vda14", Major: 254, Minor: 14, Stats: DiskIOStats{ReadSectors: 2_096, ReadIOs: 101, ReadTicks: 18,
			TotalTicks: 42, WeightTicks: 18}},
		{Name: "vda15", Major: 254, Minor: 15, Stats: DiskIOStats{ReadSectors: 10_672, ReadIOs: 203,
			WriteSectors: 2, WriteIOs: 1, ReadTicks: 62, WriteTicks: 1, TotalTicks: 110, WeightTicks: 63}},
	}
}

func defaultMemoryBlocks() []MemoryBlock {
	blocks := make([]MemoryBlock, 16)
	for i := range blocks {
		blocks[i] = MemoryBlock{Index: uint64(i), Online: true, CanOffline: true}
	}
	return blocks
}

// guestDefaults fills in every guest fact the configuration leaves out.
// The default facts are built once and shared by every agent (a sweep
// starts one per run): an agent only reads them, and the ones commands
// change (vCPUs, memory blocks) are copied into the guest's state. Each is
// capped at its length, so that an append makes a new array.
var (
	sharedFileSystems  = capped(defaultFileSystems())
	sharedInterfaces   = capped(defaultInterfaces())
	sharedDisks        = capped(defaultDisks())
	sharedDiskStats    = capped(defaultDiskStats())
	sharedMemoryBlocks = capped(defaultMemoryBlocks())
	sharedVCPUs        = capped([]VCPU{{ID: 0, Online: true}, {ID: 1, Online: true, CanOffline: true}})
	sharedAccounts     = capped([]Account{{Name: "root", Home: "/root"}, {Name: "debian", Home: "/home/debian"}})
)

func capped[T any](s []T) []T { return s[:len(s):len(s)] }

func (c *Config) guestDefaults() {
	if c.FileSystems == nil {
		c.FileSystems = sharedFileSystems
		if c.Filesystems > 0 {
			for n := 0; len(c.FileSystems) < c.Filesystems; n++ {
				c.FileSystems = append(c.FileSystems, extraFileSystem(n))
			}
			c.FileSystems = c.FileSystems[:c.Filesystems]
		}
	}
	c.Filesystems = len(c.FileSystems)
	if c.Interfaces == nil {
		c.Interfaces = sharedInterfaces
	}
	if c.Disks == nil {
		c.Disks = sharedDisks
	}
	if c.DiskStats == nil {
		c.DiskStats = sharedDiskStats
	}
	if c.VCPUs == nil {
		c.VCPUs = sharedVCPUs
	}
	if c.MemoryBlockSize == 0 {
		c.MemoryBlockSize = 128 << 20
	}
	if c.MemoryBlocks == nil {
		c.MemoryBlocks = sharedMemoryBlocks
	}
	if c.Users == nil {
		c.Users = []User{}
	}
	if c.Accounts == nil {
		c.Accounts = sharedAccounts
	}
	if c.Timezone == (Timezone{}) {
		c.Timezone = Timezone{Zone: "UTC"}
	}
	if c.Uptime == 0 {
		c.Uptime = 40 * time.Second
	}
}
