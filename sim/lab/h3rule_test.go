package lab

import "testing"

// H3's rule points at the second client's read and accepts both outcomes
// the real guest gave, and nothing else.
func TestH3Rule(t *testing.T) {
	var h3 Experiment
	for _, e := range Experiments {
		if e.Name == "H3" {
			h3 = e
		}
	}
	st := h3.Script.Steps[h3ReadStep]
	if st.Conn != "c2" || st.Op != OpRead || st.Until != nil {
		t.Fatalf("step %d of H3 is %+v, not the read of c2", h3ReadStep, st)
	}
	for _, c := range []struct {
		data string
		ok   bool
	}{
		{ret(811), true},
		{ret(811) + ret(813), true},
		{"", false},
		{ret(813), false},
		{ret(813) + ret(811), false},
		{ret(811) + ret(814), false},
	} {
		if got := h3Rule.OK(Recv{Step: h3ReadStep, Conn: "c2", Data: []byte(c.data)}); got != c.ok {
			t.Errorf("%q: %v, want %v", c.data, got, c.ok)
		}
	}
}
