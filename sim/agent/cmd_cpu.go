package agent

import (
	"sort"

	"github.com/qgasim/qgasim/sim/qjson"
)

// guest-get-vcpus lists the processors in sysfs order.
func cmdGetVCPUs(a *Agent, in *args, r *Reply) (qjson.Value, *cmdError) {
	if !in.Done() {
		return qjson.Value{}, in.err
	}
	cpus := a.guest.vcpus
	list := make([]qjson.Value, 0, len(cpus))
	for _, i := range kernfsOrder(len(cpus), "cpu", func(i int) string { return itoa(cpus[i].ID) }) {
		c := cpus[i]
		list = append(list, object(qjson.NewDict().Put("logical-id", i64(c.ID)).
			Put("online", boolean(c.Online)).Put("can-offline", boolean(c.CanOffline))))
	}
	return qjson.ArrayValue(list...), nil
}

// guest-set-vcpus switches processors on and off, in the order given, and
// returns how many it did before the first that failed; a failure of the
// first is the error.
func cmdSetVCPUs(a *Agent, in *args, r *Reply) (qjson.Value, *cmdError) {
	type change struct {
		id     int64
		online bool
	}
	var changes []change
	in.StructList("vcpus", false, func(_ int, el *args) {
		id, _ := el.Int("logical-id", false)
		online, _ := el.Bool("online", false)
		el.Bool("can-offline", true)
		changes = append(changes, change{id, online})
	})
	if !in.Done() {
		return qjson.Value{}, in.err
	}
	done := 0
	for _, ch := range changes {
		if err := a.setVCPU(ch.id, ch.online); err != nil {
			if done == 0 {
				return qjson.Value{}, err
			}
			break
		}
		done++
	}
	return i64(int64(done)), nil
}

func (a *Agent) setVCPU(id int64, online bool) *cmdError {
	for i := range a.guest.vcpus {
		c := &a.guest.vcpus[i]
		if c.ID != id {
			continue
		}
		if !online && !c.CanOffline {
			return genericError("logical processor #" + itoa(id) + " can't be offlined")
		}
		c.Online = online
		return nil
	}
	return genericError("open(\"/sys/devices/system/cpu/cpu" + itoa(id) + "/\"): No such file or directory")
}

// guest-get-cpustats reports each online processor's times since boot, in
// milliseconds (whole jiffies of 10 ms). The guest is mostly idle.
func cmdCPUStats(a *Agent, in *args, r *Reply) (qjson.Value, *cmdError) {
	if !in.Done() {
		return qjson.Value{}, in.err
	}
	cpus := append([]VCPU(nil), a.guest.vcpus...)
	sort.Slice(cpus, func(i, j int) bool { return cpus[i].ID < cpus[j].ID })
	ms := (int64(a.cfg.Uptime) + a.now) / 1e6
	jiffies := func(permille int64) int64 { v := ms * permille / 1000; return v - v%10 }
	list := make([]qjson.Value, 0, len(cpus))
	for _, c := range cpus {
		if !c.Online {
			continue
		}
		user, system := jiffies(23+3*(c.ID%4)), jiffies(11+c.ID%3)
		iowait, softirq, steal := jiffies(2), jiffies(1), jiffies(1)
		idle := ms - ms%10 - user - system - iowait - softirq - steal
		d := qjson.NewDict().Put("type", str("linux")).Put("cpu", i64(c.ID)).
			Put("user", i64(user)).Put("nice", i64(0)).Put("system", i64(system)).Put("idle", i64(idle)).
			Put("iowait", i64(iowait)).Put("irq", i64(0)).Put("softirq", i64(softirq)).Put("steal", i64(steal)).
			Put("guest", i64(0)).Put("guestnice", i64(0))
		list = append(list, object(d))
	}
	return qjson.ArrayValue(list...), nil
}
