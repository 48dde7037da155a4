package trace

import (
	"strconv"
	"strings"
)

// Format is one event on one line for people: the time in ms, the kind and
// the fields that are set, bytes in their readable form. Transcript tests
// and logs use it; it is stable.
func Format(e Event) string {
	var b strings.Builder
	b.WriteString(strconv.FormatFloat(float64(e.T)/1e6, 'f', 3, 64))
	b.WriteString("ms ")
	b.WriteString(e.Kind)
	add := func(k, v string) {
		b.WriteByte(' ')
		b.WriteString(k)
		b.WriteByte('=')
		b.WriteString(v)
	}
	num := func(k string, v int64) {
		if v != 0 {
			add(k, strconv.FormatInt(v, 10))
		}
	}
	str := func(k, v string) {
		if v != "" {
			add(k, strconv.Quote(v))
		}
	}
	if e.Dir != "" {
		b.WriteByte(' ')
		b.WriteString(e.Dir)
	}
	if e.N != 0 || e.Off != 0 {
		add("at", strconv.FormatInt(e.Off, 10)+"+"+strconv.FormatInt(e.N, 10))
	}
	str("fault", e.Fault)
	str("name", e.Name)
	num("conn", int64(e.Conn))
	num("inc", int64(e.Inc))
	num("aseq", e.ASeq)
	num("req", int64(e.Req))
	num("step", int64(e.Step))
	num("until", e.Until)
	str("cmd", e.Cmd)
	str("class", e.Class)
	str("state", e.State)
	str("outcome", e.Outcome)
	if len(e.Src) > 0 {
		add("src", spans(e.Src))
	}
	if len(e.Lost) > 0 {
		add("lost", spans(e.Lost))
	}
	if len(e.Changed) > 0 {
		add("changed", spans(e.Changed))
	}
	num("added", e.Added)
	if e.Origin != nil {
		add("origin", e.Origin.Status+"/req"+strconv.Itoa(e.Origin.Req)+"/conn"+strconv.Itoa(e.Origin.Conn))
	}
	if e.Reply != nil {
		v := e.Reply.Status
		if e.Reply.Inc != 0 {
			v += "/inc" + strconv.Itoa(e.Reply.Inc) + "/aseq" + strconv.FormatInt(e.Reply.ASeq, 10) + "/origin_req" + strconv.Itoa(e.Reply.OriginReq)
		}
		add("reply", v)
	}
	str("text", e.Text)
	if len(e.Bytes) > 0 {
		add("bytes", `"`+Quote(e.Bytes)+`"`)
	}
	return b.String()
}

func spans(ss []Span) string {
	parts := make([]string, len(ss))
	for i, s := range ss {
		parts[i] = strconv.FormatInt(s.Off, 10) + "+" + strconv.FormatInt(s.N, 10)
	}
	return strings.Join(parts, ",")
}
