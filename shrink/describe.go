package shrink

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/qgasim/qgasim/scenarios"
	"github.com/qgasim/qgasim/sim"
	"github.com/qgasim/qgasim/sim/fault"
)

// describe names the minimal scenario and says, in its description and
// head comment, where it comes from, what fails, and which fault at which
// time causes it.
func (s *shrinker) describe(sc *scenarios.Scenario, orig *scenarios.Scenario, sig Signature, res *Result) *scenarios.Scenario {
	out := *sc
	from := orig.File
	if from == "" {
		from = orig.Name
	}
	out.Name = orig.Name + "-min"
	strategy := sc.Client.Strategy
	var causes []string
	for i, f := range sc.Faults {
		causes = append(causes, "  "+faultLine(f, i))
	}
	cause := "No fault is needed: the program alone fails."
	if len(causes) > 0 {
		cause = "What causes it:\n" + strings.Join(causes, "\n")
	}
	if sig.Absence() {
		cause = fmt.Sprintf("The failure is an absence: what the expectation asks for did not happen, and a run in which "+
			"nothing goes wrong shows that too, so this scenario says little about the original. To see what happened "+
			"instead, watch the original at seed %d (qgasim tui %s --seed %d --strategy %s).\n%s",
			res.Tried[0], filepath.Base(from), res.Tried[0], strategy, cause)
	}
	seeds := fmt.Sprintf("It fails the same way at every seed tried (%d of %d: %s).", res.FailsAt, len(res.Tried), seedRange(res.Tried))
	if res.FailsAt < len(res.Tried) {
		seeds = fmt.Sprintf("It fails the same way at %d of the %d seeds tried (%s): what is left still depends on the seed.",
			res.FailsAt, len(res.Tried), seedRange(res.Tried))
	}
	if len(res.Random) > 0 {
		seeds += " Left random: " + strings.Join(res.Random, ", ") + "."
	}
	out.Description = fmt.Sprintf("The smallest scenario qgasim shrink found that fails as %s does at seed %d with strategy %s: %s.\n%s\n%s",
		filepath.Base(from), res.Tried[0], strategy, sig, seeds, cause)
	// The steps' notes told the original run, which the minimal one is
	// not: they go.
	out.Steps = append([]sim.Step(nil), sc.Steps...)
	for i := range out.Steps {
		out.Steps[i].Note, out.Steps[i].Notes = "", nil
	}
	out.NotesFor = ""
	out.Comment = fmt.Sprintf("Shrunk by qgasim shrink from %s at seed %d, strategy %s.\nFails: %s.\nFrom %s to %s.",
		from, res.Tried[0], strategy, sig, res.From, sizeOf(&out))
	out.File = ""
	return &out
}

// faultLine says what a fault does and when, in one line.
func faultLine(f fault.Spec, i int) string {
	var when []string
	t := f.Trigger
	if t.At != nil {
		when = append(when, "at "+t.At.String())
	}
	if t.Every > 0 {
		when = append(when, "every "+t.Every.String())
	}
	if t.AfterBytes != nil {
		when = append(when, fmt.Sprintf("at byte %d of its direction", *t.AfterBytes))
	}
	if len(t.On) > 0 {
		when = append(when, fmt.Sprintf("on %q", t.On))
	}
	if t.From > 0 || t.Until > 0 {
		if t.Until == t.From+1 {
			when = append(when, "at "+t.From.String())
		} else {
			when = append(when, fmt.Sprintf("between %v and %v", t.From, time.Duration(t.Until)))
		}
	}
	if t.Probability > 0 && t.Probability < 1 {
		when = append(when, fmt.Sprintf("with probability %v", t.Probability))
	}
	var params []string
	for _, name := range sortedKeys(f.Params) {
		params = append(params, name+" "+f.Params[name].String())
	}
	line := fmt.Sprintf("%s (%s", resolvedName(f, i), f.Kind)
	if len(params) > 0 {
		line += ", " + strings.Join(params, ", ")
	}
	line += ")"
	if len(when) > 0 {
		line += " " + strings.Join(when, ", ")
	}
	return line
}

func sortedKeys(p fault.Params) []string {
	var out []string
	for k := range p {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// seedRange writes the seeds tried: the failure's, then the others in
// ranges ("12 and 1-11, 13-21").
func seedRange(seeds []uint64) string {
	if len(seeds) == 1 {
		return fmt.Sprint(seeds[0])
	}
	rest := append([]uint64(nil), seeds[1:]...)
	sort.Slice(rest, func(i, j int) bool { return rest[i] < rest[j] })
	var parts []string
	for i := 0; i < len(rest); {
		j := i
		for j+1 < len(rest) && rest[j+1] == rest[j]+1 {
			j++
		}
		if j > i {
			parts = append(parts, fmt.Sprintf("%d-%d", rest[i], rest[j]))
		} else {
			parts = append(parts, fmt.Sprint(rest[i]))
		}
		i = j + 1
	}
	return fmt.Sprintf("%d and %s", seeds[0], strings.Join(parts, ", "))
}
