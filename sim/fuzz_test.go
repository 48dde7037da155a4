package sim

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/qgasim/qgasim/sim/client"
	"github.com/qgasim/qgasim/sim/fault"
)

// randomConfig builds a run with a random transport, a random mix of
// faults and a random host program, all drawn from seed.
func randomConfig(seed uint64) Config {
	r := rand.New(rand.NewPCG(seed, 0x5eed))
	trs := []string{"virtio-serial", "isa-serial", "unix-socket"}
	cfg := Config{Seed: seed, Transport: trs[r.IntN(len(trs))], Duration: 30 * time.Second}
	dur := func(max time.Duration) *time.Duration { d := time.Duration(r.Int64N(int64(max))); return &d }
	dirs := []string{"h2a", "a2h"}
	nf := r.IntN(5)
	for i := 0; i < nf; i++ {
		spec := fault.Spec{Dir: dirs[r.IntN(2)]}
		switch r.IntN(13) {
		case 0:
			spec.Kind, spec.Params = "drop", fault.Params{"p": fault.Num(r.Float64() * 0.05)}
		case 1:
			spec.Kind, spec.Params = "burst", fault.Params{"p": fault.Num(r.Float64() * 0.01), "r": fault.Num(0.05 + r.Float64()*0.5)}
		case 2:
			spec.Kind, spec.Params = "corrupt", fault.Params{"p": fault.Num(r.Float64() * 0.02), "bits": fault.Int(int64(1 + r.IntN(3)))}
		case 3:
			spec.Kind, spec.Params = "duplicate", fault.Params{"p": fault.Num(r.Float64() * 0.02)}
		case 4:
			spec.Kind, spec.Params = "truncate", fault.Params{"p": fault.Num(r.Float64() * 0.3)}
		case 5:
			spec.Kind, spec.Params = "stall", fault.Params{"for": fault.Dur(300 * time.Millisecond)}
			spec.Trigger.Every = time.Duration(1+r.IntN(3)) * time.Second
		case 6:
			spec.Kind, spec.Params = "delay", fault.Params{"p": fault.Num(0.2), "d": fault.Dur(50 * time.Millisecond)}
		case 7:
			spec.Kind, spec.Params = "rechunk", fault.Params{"max": fault.Int(int64(1 + r.IntN(10)))}
		case 8:
			spec.Kind = "inject"
			spec.Trigger.At = dur(3 * time.Second)
		case 9:
			spec.Kind, spec.Params = "restart-agent", fault.Params{"down": fault.Dur(200 * time.Millisecond)}
			if r.IntN(2) == 0 {
				spec.Trigger.On, spec.Trigger.Probability = []byte(`"return"`), 0.3
			} else {
				spec.Trigger.Every = time.Second + time.Duration(r.IntN(2000))*time.Millisecond
			}
		case 10:
			spec.Kind, spec.Params = "reboot", fault.Params{"down": fault.Dur(time.Second)}
			spec.Trigger.At = dur(4 * time.Second)
		case 11:
			spec.Kind = "reconnect-host"
			spec.Trigger.Every, spec.Trigger.Max = 700*time.Millisecond, 1+r.IntN(4)
		case 12:
			spec.Kind, spec.Params = "freeze", fault.Params{"for": fault.Dur(time.Second)}
			spec.Trigger.At = dur(3 * time.Second)
		}
		cfg.Faults = append(cfg.Faults, spec)
	}
	cmds := []Step{
		send("guest-sync", `{"id":1234}`), send("guest-sync-delimited", `{"id":99}`), send("guest-ping", ""),
		send("guest-info", ""), send("guest-get-time", ""), send("guest-fsfreeze-status", ""),
		{Raw: &Raw{Bytes: []byte{0xff}}}, sleep(time.Duration(r.IntN(500)) * time.Millisecond),
		{Reconnect: true}, {Disconnect: true},
	}
	ns := 3 + r.IntN(15)
	for i := 0; i < ns; i++ {
		k := r.IntN(len(cmds))
		if k == 9 && r.IntN(3) != 0 {
			k = 0
		}
		cfg.Steps = append(cfg.Steps, cmds[k])
	}
	names := append([]string{""}, client.Names()...)
	name := names[r.IntN(len(names))]
	if name == "" {
		cfg.Client = lineSpec
	} else {
		cfg.Client = client.Spec{Strategy: name, Options: client.Options{Timeout: 2 * time.Second}}
	}
	return cfg
}

func describe(cfg Config) string {
	s := fmt.Sprintf("seed %d transport %s faults:", cfg.Seed, cfg.Transport)
	for _, f := range cfg.Faults {
		s += fmt.Sprintf(" %s/%s%v", f.Kind, f.Dir, f.Params)
	}
	return s
}
