package agent

import (
	"strings"

	"github.com/qgasim/qgasim/sim/qjson"
)

// guest-network-get-interfaces lists the interfaces with the addresses they
// have at the time of the request (an address with a From later than now
// is not assigned yet).
func cmdNetworkInterfaces(a *Agent, in *args, r *Reply) (qjson.Value, *cmdError) {
	if !in.Done() {
		return qjson.Value{}, in.err
	}
	list := make([]qjson.Value, 0, len(a.cfg.Interfaces))
	for _, ifc := range a.cfg.Interfaces {
		d := qjson.NewDict().Put("name", str(ifc.Name))
		if ifc.HardwareAddress != "" {
			d.Put("hardware-address", str(ifc.HardwareAddress))
		}
		var addrs []qjson.Value
		for _, ip := range ifc.Addresses {
			if int64(ip.From) > a.now {
				continue
			}
			typ := ip.Type
			if typ == "" {
				typ = "ipv4"
				if strings.Contains(ip.Address, ":") {
					typ = "ipv6"
				}
			}
			addrs = append(addrs, object(qjson.NewDict().Put("ip-address", str(ip.Address)).
				Put("ip-address-type", str(typ)).Put("prefix", i64(int64(ip.Prefix)))))
		}
		if len(addrs) > 0 {
			d.Put("ip-addresses", qjson.ArrayValue(addrs...))
		}
		if s := ifc.Stats; s != nil {
			d.Put("statistics", object(qjson.NewDict().
				Put("rx-bytes", u64(s.RxBytes)).Put("rx-packets", u64(s.RxPackets)).
				Put("rx-errs", u64(s.RxErrs)).Put("rx-dropped", u64(s.RxDropped)).
				Put("tx-bytes", u64(s.TxBytes)).Put("tx-packets", u64(s.TxPackets)).
				Put("tx-errs", u64(s.TxErrs)).Put("tx-dropped", u64(s.TxDropped))))
		}
		list = append(list, object(d))
	}
	return qjson.ArrayValue(list...), nil
}
