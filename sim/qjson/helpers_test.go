package qjson

// render is a message as a test compares it: the error text, or the value
// written back out.
func render(m Message) string {
	if m.IsError() {
		return "error: " + m.Err
	}
	return string(Append(nil, m.Value))
}

// feed gives each chunk to p in turn and returns every message rendered.
func feed(p *Parser, chunks ...[]byte) []string {
	var out []string
	for _, c := range chunks {
		p.Feed(c, func(m Message) { out = append(out, render(m)) })
	}
	return out
}

func feedString(s string) []string { return feed(NewParser(), []byte(s)) }
