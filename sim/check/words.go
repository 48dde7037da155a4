package check

import (
	"strconv"
	"strings"
)

// CountWords says verdict counts as the reports word them: "5 correct,
// 1 misattributed", in the order of order, leaving out the verdicts
// counted 0; "no requests" when every one is. The terminal report, the
// HTML page and live mode's report all say them so.
func CountWords(order []Verdict, counts map[Verdict]int) string {
	var parts []string
	for _, v := range order {
		if n := counts[v]; n > 0 {
			parts = append(parts, strconv.Itoa(n)+" "+string(v))
		}
	}
	if len(parts) == 0 {
		return "no requests"
	}
	return strings.Join(parts, ", ")
}
