package scenarios

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/qgasim/qgasim/sim/check"
)

// Result is one expectation checked against a run.
type Result struct {
	What string `json:"what"` // the expectation as written, e.g. "misattributed: 1"
	Pass bool   `json:"pass"`
	Why  string `json:"why"` // what the run showed
	Line int    `json:"line,omitempty"`
}

// Evaluate checks every expectation of the scenario against the oracle's
// summary of a run. The results of expect.resyncs and then of
// expect.requests come last, in the order of their entries.
func Evaluate(e Expect, s check.Summary) []Result {
	var out []Result
	count := func(key string, want *int, got int) {
		if want == nil {
			return
		}
		out = append(out, Result{What: fmt.Sprintf("%s: %d", key, *want), Pass: got == *want,
			Why: fmt.Sprintf("%d %s", got, key)})
	}
	if e.AllAnswered != nil {
		var wrong []string
		for _, r := range s.Requests {
			if r.Verdict != check.Correct {
				wrong = append(wrong, fmt.Sprintf("#%d %s: %s", r.Req, r.Cmd, r.Verdict))
			}
		}
		bad := s.Total - s.Counts[check.Correct]
		if more := bad - len(wrong); more > 0 {
			wrong = append(wrong, fmt.Sprintf("%d more not listed", more))
		}
		all := bad == 0
		why := fmt.Sprintf("all %d requests got their own reply", s.Total)
		if !all {
			why = strings.Join(wrong, "; ")
		}
		out = append(out, Result{What: fmt.Sprintf("all-answered: %v", *e.AllAnswered), Pass: all == *e.AllAnswered, Why: why})
	}
	count("correct", e.Correct, s.Counts[check.Correct])
	count("misattributed", e.Misattributed, s.Counts[check.Misattributed])
	count("not-executed", e.NotExecuted, s.Counts[check.NotExecuted])
	count("lost", e.Lost, s.Lost)
	count("hung", e.Hung, s.Counts[check.Hung])
	count("timed-out", e.TimedOut, s.Counts[check.TimedOut])
	count("failed", e.Failed, s.Counts[check.Failed])
	count("dropped-replies", e.Dropped, s.Dropped)
	if e.MaxResync != nil {
		worst := s.MaxResync
		unfinished := s.UnfinishedResyncs > 0
		why := fmt.Sprintf("longest resync %v over %d episodes", time.Duration(worst), s.Episodes)
		if unfinished {
			why += ", one never finished"
		}
		out = append(out, Result{What: "max-resync: " + e.MaxResync.String(), Pass: time.Duration(worst) <= *e.MaxResync && !unfinished, Why: why})
	}
	count("resync-episodes", e.ResyncEpisodes, s.Episodes)
	lost := func(key string, want *int64, got int64, where string) {
		if want != nil {
			out = append(out, Result{What: fmt.Sprintf("lost-bytes.%s: %d", key, *want), Pass: got == *want,
				Why: fmt.Sprintf("%d bytes lost on the way to the %s", got, where)})
		}
	}
	lost("to-agent", e.LostBytes.ToAgent, s.LostToAgent, "agent")
	lost("to-host", e.LostBytes.ToHost, s.LostToHost, "host")
	for _, name := range e.Never {
		out = append(out, evalNever(name, s))
	}
	for _, re := range e.Resyncs {
		out = append(out, evalResync(re, s))
	}
	for _, re := range e.Requests {
		out = append(out, evalRequest(re, s))
	}
	return out
}

// neverWhat is a never result's What: the same text in every run, so that
// a sweep can count the runs that broke it.
func neverWhat(name string) string { return "never: " + name }

// neverCount is how many requests of the run are what name says.
func neverCount(name string, s check.Summary) int {
	switch name {
	case "lost":
		return s.Lost
	case "dropped-replies":
		return s.Dropped
	}
	return s.Counts[check.Verdict(strings.ReplaceAll(name, "-", " "))]
}

func evalNever(name string, s check.Summary) Result {
	n := neverCount(name, s)
	res := Result{What: neverWhat(name), Pass: n == 0}
	if n == 0 {
		res.Why = "none of the run's requests"
		if name == "dropped-replies" {
			res.Why = "no reply dropped"
		}
		return res
	}
	var which []string
	if v := check.Verdict(strings.ReplaceAll(name, "-", " ")); name != "lost" && name != "dropped-replies" {
		for _, r := range s.Requests {
			if r.Verdict == v && len(which) < 3 {
				which = append(which, fmt.Sprintf("#%d %s", r.Req, r.Cmd))
			}
		}
	}
	res.Why = fmt.Sprintf("%d in the run", n)
	if len(which) > 0 {
		res.Why += ": " + strings.Join(which, ", ")
		if n > len(which) {
			res.Why += ", ..."
		}
	}
	return res
}

// evalResync checks one resync episode's times.
func evalResync(re ResyncExpect, s check.Summary) Result {
	var parts []string
	if re.StartsAfter != nil {
		parts = append(parts, "starts at or after "+re.StartsAfter.String())
	}
	if re.EndsBefore != nil {
		parts = append(parts, "ends before "+re.EndsBefore.String())
	}
	if re.LastsAtMost != nil {
		parts = append(parts, "lasts at most "+re.LastsAtMost.String())
	}
	if len(parts) == 0 {
		parts = append(parts, "happens")
	}
	res := Result{What: fmt.Sprintf("resync %d: %s", re.Episode, strings.Join(parts, ", "))}
	ep, ok := episode(s, re.Episode)
	if !ok {
		res.Why = fmt.Sprintf("the run had only %d resync episodes", s.Episodes)
		if re.Episode <= s.Episodes {
			res.Why = fmt.Sprintf("episode %d is not in the oracle's listing", re.Episode)
		}
		return res
	}
	bad := resyncProblems(re, ep)
	res.Pass = len(bad) == 0
	res.Why = "from " + time.Duration(ep.From).String()
	if ep.To >= 0 {
		res.Why += " to " + time.Duration(ep.To).String() + " (" + time.Duration(ep.To-ep.From).String() + ")"
	} else {
		res.Why += ", never back in sync"
	}
	if !res.Pass {
		res.Why += ": " + strings.Join(bad, "; ")
	}
	return res
}

// episode finds episode n (from 1) in the summary's listing.
func episode(s check.Summary, n int) (check.Resync, bool) {
	for _, ep := range s.Resyncs {
		if ep.No == n {
			return ep, true
		}
	}
	return check.Resync{}, false
}

// resyncProblems says which of an episode's bounds it breaks.
func resyncProblems(re ResyncExpect, ep check.Resync) []string {
	var bad []string
	if re.StartsAfter != nil && ep.From < int64(*re.StartsAfter) {
		bad = append(bad, "it started earlier")
	}
	if re.EndsBefore != nil && (ep.To < 0 || ep.To >= int64(*re.EndsBefore)) {
		bad = append(bad, "it did not end in time")
	}
	if re.LastsAtMost != nil && (ep.To < 0 || ep.To-ep.From > int64(*re.LastsAtMost)) {
		bad = append(bad, "it lasted longer")
	}
	return bad
}

func evalRequest(re RequestExpect, s check.Summary) Result {
	var parts []string
	if re.Verdict != "" {
		parts = append(parts, "verdict "+re.Verdict)
	}
	if re.Outcome != "" {
		parts = append(parts, "outcome "+re.Outcome)
	}
	if re.Class != "" {
		parts = append(parts, "class "+re.Class)
	}
	if re.Contains != "" {
		parts = append(parts, fmt.Sprintf("contains %q", re.Contains))
	}
	if re.NotContains != "" {
		parts = append(parts, fmt.Sprintf("does not contain %q", re.NotContains))
	}
	if re.OutcomeAfter != nil {
		parts = append(parts, "outcome at or after "+re.OutcomeAfter.String())
	}
	if re.OutcomeBefore != nil {
		parts = append(parts, "outcome before "+re.OutcomeBefore.String())
	}
	res := Result{What: fmt.Sprintf("request %d: %s", re.Request, strings.Join(parts, ", "))}
	r, ok := s.Request(re.Request)
	switch {
	case !ok && re.Request > s.Total:
		res.Why = fmt.Sprintf("the run made only %d requests", s.Total)
		return res
	case !ok:
		res.Why = fmt.Sprintf("request %d is not in the oracle's listing", re.Request)
		return res
	}
	var bad []string
	if re.Verdict != "" && string(r.Verdict) != re.Verdict {
		bad = append(bad, fmt.Sprintf("verdict %s (%s)", r.Verdict, r.Why))
	}
	if re.Outcome != "" && r.Outcome != re.Outcome {
		bad = append(bad, "outcome "+orNone(r.Outcome))
	}
	if re.Class != "" && !strings.Contains(string(r.Reply), `"class": "`+re.Class+`"`) {
		bad = append(bad, "reply "+orNone(clip(string(r.Reply), false)))
	}
	if re.Contains != "" && !strings.Contains(string(r.Reply), re.Contains) && !strings.Contains(r.Detail, re.Contains) {
		bad = append(bad, fmt.Sprintf("neither the reply %s nor the detail %s contains it", clip(string(r.Reply), true), clip(r.Detail, true)))
	}
	if re.NotContains != "" && (strings.Contains(string(r.Reply), re.NotContains) || strings.Contains(r.Detail, re.NotContains)) {
		bad = append(bad, fmt.Sprintf("the reply %s or the detail %s contains %q", clip(string(r.Reply), true), clip(r.Detail, true), re.NotContains))
	}
	if t := outcomeTimeProblem(re, r); t != "" {
		bad = append(bad, t)
	}
	res.Pass = len(bad) == 0
	if res.Pass {
		res.Why = fmt.Sprintf("#%d %s: %s, %s", r.Req, r.Cmd, r.Outcome, r.Verdict)
		if re.OutcomeAfter != nil || re.OutcomeBefore != nil {
			res.Why += " at " + time.Duration(r.Ended).String()
		}
	} else {
		res.Why = fmt.Sprintf("#%d %s: %s", r.Req, r.Cmd, strings.Join(bad, "; "))
	}
	return res
}

// outcomeTimeProblem says how a request's outcome time breaks its bounds,
// or "".
func outcomeTimeProblem(re RequestExpect, r check.Request) string {
	if re.OutcomeAfter == nil && re.OutcomeBefore == nil {
		return ""
	}
	if r.Ended < 0 {
		return "no outcome by the end of the run"
	}
	at := time.Duration(r.Ended)
	if (re.OutcomeAfter != nil && at < *re.OutcomeAfter) || (re.OutcomeBefore != nil && at >= *re.OutcomeBefore) {
		return "its outcome came at " + at.String()
	}
	return ""
}

// quoteMax is how much of a reply or a detail an explanation quotes: a
// FAIL line stays a line, whatever the size of the reply (guest-info's is
// several kilobytes; the run's JSON has it whole).
const quoteMax = 100

// clip is the start of s, at most quoteMax bytes (not cutting a UTF-8
// character), quoted if asked, followed by how many bytes were cut.
func clip(s string, quote bool) string {
	if len(s) <= quoteMax {
		if quote {
			return strconv.Quote(s)
		}
		return s
	}
	cut := quoteMax
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	head := s[:cut]
	if quote {
		head = strings.TrimSuffix(strconv.Quote(head), `"`) + `..."`
	} else {
		head += "..."
	}
	return fmt.Sprintf("%s (%d more bytes)", head, len(s)-cut)
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// Hold returns the expectations with each one the run's summary does not
// meet replaced by what the run showed (a count by the run's count, a
// verdict by the run's verdict), or left out where the run shows nothing to
// put in its place (a text the reply no longer contains, a request the run
// never made). changed says what changed, one line each; it is empty when
// every expectation held.
func (e Expect) Hold(s check.Summary) (held Expect, changed []string) {
	held = e
	held.Requests = nil
	count := func(key string, want **int, got int) {
		if *want != nil && **want != got {
			changed = append(changed, fmt.Sprintf("%s: %d, now %d", key, **want, got))
			*want = &got
		}
	}
	if e.AllAnswered != nil {
		all := true
		for _, r := range s.Requests {
			all = all && r.Verdict == check.Correct
		}
		if all != *e.AllAnswered {
			changed = append(changed, fmt.Sprintf("all-answered: %v, now %v", *e.AllAnswered, all))
			held.AllAnswered = &all
		}
	}
	count("correct", &held.Correct, s.Counts[check.Correct])
	count("misattributed", &held.Misattributed, s.Counts[check.Misattributed])
	count("not-executed", &held.NotExecuted, s.Counts[check.NotExecuted])
	count("lost", &held.Lost, s.Lost)
	count("hung", &held.Hung, s.Counts[check.Hung])
	count("timed-out", &held.TimedOut, s.Counts[check.TimedOut])
	count("failed", &held.Failed, s.Counts[check.Failed])
	count("dropped-replies", &held.Dropped, s.Dropped)
	if e.MaxResync != nil {
		res := Evaluate(Expect{MaxResync: e.MaxResync}, s)
		if !res[0].Pass {
			worst := time.Duration(s.MaxResync)
			unfinished := false
			for _, r := range s.Resyncs {
				unfinished = unfinished || r.To < 0
			}
			if unfinished {
				changed = append(changed, "max-resync: "+e.MaxResync.String()+", left out: a resync never finished")
				held.MaxResync = nil
			} else {
				changed = append(changed, "max-resync: "+e.MaxResync.String()+", now "+worst.String())
				held.MaxResync = &worst
			}
		}
	}
	count("resync-episodes", &held.ResyncEpisodes, s.Episodes)
	lost := func(key string, want **int64, got int64) {
		if *want != nil && **want != got {
			changed = append(changed, fmt.Sprintf("lost-bytes.%s: %d, now %d", key, **want, got))
			*want = &got
		}
	}
	lost("to-agent", &held.LostBytes.ToAgent, s.LostToAgent)
	lost("to-host", &held.LostBytes.ToHost, s.LostToHost)
	held.Never = nil
	for _, name := range e.Never {
		if n := neverCount(name, s); n > 0 {
			changed = append(changed, fmt.Sprintf("%s: left out, %d in the run", neverWhat(name), n))
			continue
		}
		held.Never = append(held.Never, name)
	}
	held.Resyncs = nil
	for _, re := range e.Resyncs {
		ep, ok := episode(s, re.Episode)
		if !ok {
			changed = append(changed, fmt.Sprintf("resync %d: left out, %s", re.Episode, evalResync(re, s).Why))
			continue
		}
		was := re
		if re.StartsAfter != nil && ep.From < int64(*re.StartsAfter) {
			re.StartsAfter = nil
		}
		if re.EndsBefore != nil && (ep.To < 0 || ep.To >= int64(*re.EndsBefore)) {
			re.EndsBefore = nil
		}
		if re.LastsAtMost != nil && (ep.To < 0 || ep.To-ep.From > int64(*re.LastsAtMost)) {
			re.LastsAtMost = nil
		}
		if re != was {
			changed = append(changed, fmt.Sprintf("%s, now %s", evalResync(was, s).What, evalResync(re, s).What))
		}
		held.Resyncs = append(held.Resyncs, re)
	}
	for _, re := range e.Requests {
		if re.Request > len(s.Requests) {
			changed = append(changed, fmt.Sprintf("request %d: left out, the run made only %d requests", re.Request, len(s.Requests)))
			continue
		}
		r := s.Requests[re.Request-1]
		was := re
		if re.Verdict != "" && re.Verdict != string(r.Verdict) {
			re.Verdict = string(r.Verdict)
		}
		if re.Outcome != "" && re.Outcome != r.Outcome {
			re.Outcome = r.Outcome
			if !contains(outcomeNames, r.Outcome) {
				re.Outcome = ""
			}
		}
		if re.Class != "" && !strings.Contains(string(r.Reply), `"class": "`+re.Class+`"`) {
			re.Class = ""
			if m := replyClass.FindStringSubmatch(string(r.Reply)); m != nil {
				re.Class = m[1]
			}
		}
		if re.Contains != "" && !strings.Contains(string(r.Reply), re.Contains) && !strings.Contains(r.Detail, re.Contains) {
			re.Contains = ""
		}
		if re.NotContains != "" && (strings.Contains(string(r.Reply), re.NotContains) || strings.Contains(r.Detail, re.NotContains)) {
			re.NotContains = ""
		}
		if outcomeTimeProblem(re, r) != "" {
			re.OutcomeAfter, re.OutcomeBefore = nil, nil
		}
		if re.Verdict == "" && re.Outcome == "" && re.Class == "" && re.Contains == "" && re.NotContains == "" &&
			re.OutcomeAfter == nil && re.OutcomeBefore == nil {
			re.Verdict = string(r.Verdict) // keep saying something about it
		}
		if re != was {
			changed = append(changed, fmt.Sprintf("%s, now %s", evalRequest(was, s).What, evalRequest(re, s).What))
		}
		held.Requests = append(held.Requests, re)
	}
	return held, changed
}

// replyClass finds the error class of a reply.
var replyClass = regexp.MustCompile(`"class": "([^"]*)"`)
