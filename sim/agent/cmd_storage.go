package agent

import "github.com/qgasim/qgasim/sim/qjson"

// diskAddress is a GuestDiskAddress.
func diskAddress(da DiskAddress) qjson.Value {
	pci := qjson.NewDict().Put("domain", i64(da.PCI.Domain)).Put("bus", i64(da.PCI.Bus)).
		Put("slot", i64(da.PCI.Slot)).Put("function", i64(da.PCI.Function))
	d := qjson.NewDict().Put("pci-controller", object(pci)).Put("bus-type", str(da.BusType)).
		Put("bus", i64(da.Bus)).Put("target", i64(da.Target)).Put("unit", i64(da.Unit))
	if da.Serial != "" {
		d.Put("serial", str(da.Serial))
	}
	if da.Dev != "" {
		d.Put("dev", str(da.Dev))
	}
	return object(d)
}

// guest-get-fsinfo lists the mounted file systems.
func cmdFSInfo(a *Agent, in *args, r *Reply) (qjson.Value, *cmdError) {
	if !in.Done() {
		return qjson.Value{}, in.err
	}
	list := make([]qjson.Value, 0, len(a.cfg.FileSystems))
	for _, fs := range a.cfg.FileSystems {
		d := qjson.NewDict().Put("name", str(fs.Name)).Put("mountpoint", str(fs.Mountpoint)).Put("type", str(fs.Type))
		if fs.UsedBytes != 0 || fs.TotalBytes != 0 {
			d.Put("used-bytes", u64(fs.UsedBytes)).Put("total-bytes", u64(fs.TotalBytes))
		}
		disks := make([]qjson.Value, len(fs.Disks))
		for i, da := range fs.Disks {
			disks[i] = diskAddress(da)
		}
		d.Put("disk", qjson.ArrayValue(disks...))
		list = append(list, object(d))
	}
	return qjson.ArrayValue(list...), nil
}

// guest-get-disks lists the block devices.
func cmdDisks(a *Agent, in *args, r *Reply) (qjson.Value, *cmdError) {
	if !in.Done() {
		return qjson.Value{}, in.err
	}
	list := make([]qjson.Value, 0, len(a.cfg.Disks))
	for _, disk := range a.cfg.Disks {
		d := qjson.NewDict().Put("name", str(disk.Name)).Put("partition", boolean(disk.Partition))
		if disk.Dependencies != nil {
			d.Put("dependencies", strList(disk.Dependencies))
		}
		if disk.Address != nil {
			d.Put("address", diskAddress(*disk.Address))
		}
		if disk.Alias != "" {
			d.Put("alias", str(disk.Alias))
		}
		list = append(list, object(d))
	}
	return qjson.ArrayValue(list...), nil
}

// guest-get-diskstats lists /proc/diskstats.
func cmdDiskStats(a *Agent, in *args, r *Reply) (qjson.Value, *cmdError) {
	if !in.Done() {
		return qjson.Value{}, in.err
	}
	list := make([]qjson.Value, 0, len(a.cfg.DiskStats))
	for _, ds := range a.cfg.DiskStats {
		s := ds.Stats
		st := qjson.NewDict().
			Put("read-sectors", u64(s.ReadSectors)).Put("read-ios", u64(s.ReadIOs)).Put("read-merges", u64(s.ReadMerges)).
			Put("write-sectors", u64(s.WriteSectors)).Put("write-ios", u64(s.WriteIOs)).Put("write-merges", u64(s.WriteMerges)).
			Put("discard-sectors", u64(s.DiscardSectors)).Put("discard-ios", u64(s.DiscardIOs)).
			Put("discard-merges", u64(s.DiscardMerges)).Put("flush-ios", u64(s.FlushIOs)).
			Put("read-ticks", u64(s.ReadTicks)).Put("write-ticks", u64(s.WriteTicks)).
			Put("discard-ticks", u64(s.DiscardTicks)).Put("flush-ticks", u64(s.FlushTicks)).
			Put("ios-pgr", u64(s.IOsInProgress)).Put("total-ticks", u64(s.TotalTicks)).
			Put("weight-ticks", u64(s.WeightTicks))
		d := qjson.NewDict().Put("name", str(ds.Name)).Put("major", u64(ds.Major)).Put("minor", u64(ds.Minor)).
			Put("stats", object(st))
		list = append(list, object(d))
	}
	return qjson.ArrayValue(list...), nil
}

// guest-fstrim trims every mounted file system: each reports its free
// space as trimmed, and the minimum it was asked for.
func cmdFstrim(a *Agent, in *args, r *Reply) (qjson.Value, *cmdError) {
	minimum, _ := in.Int("minimum", true)
	if !in.Done() {
		return qjson.Value{}, in.err
	}
	paths := make([]qjson.Value, 0, len(a.cfg.FileSystems))
	for _, fs := range a.cfg.FileSystems {
		var free uint64
		if fs.TotalBytes > fs.UsedBytes {
			free = fs.TotalBytes - fs.UsedBytes
		}
		paths = append(paths, object(qjson.NewDict().Put("path", str(fs.Mountpoint)).
			Put("trimmed", u64(free)).Put("minimum", i64(minimum))))
	}
	return object(qjson.NewDict().Put("paths", qjson.ArrayValue(paths...))), nil
}
