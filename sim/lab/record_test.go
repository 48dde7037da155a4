package lab

import (
	"bytes"
	"testing"
)

func TestQuoteRoundTrip(t *testing.T) {
	var all []byte
	for i := 0; i < 256; i++ {
		all = append(all, byte(i))
	}
	for _, b := range [][]byte{nil, []byte("{\"return\": 1}\n"), []byte("\xff\\\"|"), all} {
		got, err := Unquote(Quote(b))
		if err != nil || !bytes.Equal(got, b) {
			t.Errorf("Unquote(Quote(%q)) = %q, %v", b, got, err)
		}
	}
}

// TestSimMatchesRecorded is the everyday half of the differential test: it
// compares the simulator with the real guest's bytes recorded by TestLab in
// testdata/real. Every experiment must have a recording, and every
// recorded outcome must be one the simulator gives over its seeds (except
// the KnownGaps, which must still differ).
func TestSimMatchesRecorded(t *testing.T) {
	for _, e := range Experiments {
		for _, tr := range e.Transports {
			t.Run(e.Name+"/"+tr, func(t *testing.T) {
				recs, err := ReadRecord(RecordFile("testdata/real", e.Name, tr))
				if err != nil {
					t.Fatalf("no recording of the real guest: %v (make one with QGASIM_LAB=1 QGASIM_LAB_RECORD=1 go test -run TestLab ./sim/lab/)", err)
				}
				outs, err := accepted(e, tr)
				if err != nil {
					t.Fatal(err)
				}
				gap, isGap := KnownGaps[e.Name+"/"+tr]
				for i, rec := range recs {
					k, ruled := MatchRules(rec, outs, e.Rules)
					switch {
					case ruled && !isGap:
						t.Logf("recorded outcome %d accepted by the rule: %s", i+1, rulesWhat(e.Rules))
					case k >= 0 && isGap:
						t.Errorf("listed in KnownGaps but recorded outcome %d now matches the simulator: remove it", i+1)
					case k >= 0:
						t.Logf("recorded outcome %d = accepted outcome %d (seeds %v, forced tail %v, queued after restart %s)", i+1, k+1, outs[k].Seeds[:min(3, len(outs[k].Seeds))], outs[k].Forced, outs[k].TailNames())
					case isGap:
						t.Logf("KNOWN GAP (%s):\n%s", gap, Diff(rec, outs[0].T))
					default:
						t.Errorf("recorded outcome %d of the real guest is none of the %d accepted outcome(s) (simulator seeds 1..%d; seed of the first: %d):\n%s",
							i+1, len(outs), simSeeds, outs[0].Seeds[0], Diff(rec, outs[0].T))
					}
				}
			})
		}
	}
}
