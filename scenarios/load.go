package scenarios

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/lexer"
	"github.com/goccy/go-yaml/parser"

	"github.com/qgasim/qgasim/sim/vtime"
)

// Load reads and checks a scenario file. A bad file gives Problems, every
// problem in it with file:line:column. A file larger than MaxFileSize is
// refused after reading one byte past the limit.
func Load(path string) (*Scenario, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, err
	}
	return Parse(path, data)
}

// Parse checks a scenario given as bytes; name is used in messages.
func Parse(name string, data []byte) (sc *Scenario, err error) {
	defer func() {
		// The YAML library is third-party code: whatever it does with hostile
		// input, a bad file is a problem report, never a crash.
		if r := recover(); r != nil {
			sc, err = nil, Problems{{File: name, Msg: fmt.Sprintf("cannot read this file as YAML (%v)", r)}}
		}
	}()
	if len(data) > MaxFileSize {
		line, col := lineCol(data, MaxFileSize)
		return nil, Problems{{File: name, Line: line, Col: col,
			Msg: fmt.Sprintf("the file is larger than %d bytes (8 MiB), the most a scenario may be", MaxFileSize)}}
	}
	// A UTF-8 byte order mark is not part of the first key.
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if p := checkText(name, data); p != nil {
		return nil, Problems{*p}
	}
	if at := countTokens(data, MaxTokens); at >= 0 {
		line, col := lineCol(data, at)
		return nil, Problems{{File: name, Line: line, Col: col,
			Msg: fmt.Sprintf("the file has more than %d YAML tokens (keys, values, '-', ':', words..., and one for every %d bytes of text): split it", MaxTokens, BytesPerToken)}}
	}
	tokens := lexer.Tokenize(string(data))
	if p := checkDepth(name, tokens); p != nil {
		return nil, Problems{*p}
	}
	file, perr := parser.Parse(tokens, 0)
	if perr != nil {
		return nil, Problems{syntaxProblem(name, perr)}
	}
	d := newDecoder(name, data)
	var body ast.Node
	for _, doc := range file.Docs {
		if doc.Body == nil {
			continue
		}
		if _, isDirective := doc.Body.(*ast.DirectiveNode); isDirective {
			continue // %YAML 1.2 and the like
		}
		if body != nil {
			d.errf(doc.Body, "a scenario file holds one YAML document; this is a second one")
			continue
		}
		body = doc.Body
	}
	if body == nil {
		return nil, Problems{{File: name, Msg: "the file is empty; a scenario needs at least version, name and steps"}}
	}
	sc = d.scenario(body)
	sc.Comment = headComment(data)
	if len(d.probs) > 0 {
		return nil, d.probs.sorted()
	}
	sc.File = name
	sc.src = &source{pos: d.pos}
	return sc, nil
}

// lineCol is the line and column of a byte offset.
func lineCol(data []byte, off int) (line, col int) {
	line = 1 + bytes.Count(data[:off], []byte("\n"))
	start := bytes.LastIndexByte(data[:off], '\n') + 1
	return line, 1 + len([]rune(string(data[start:off])))
}

// syntaxProblem turns a YAML syntax error into a Problem with its position.
func syntaxProblem(name string, err error) Problem {
	var se *yaml.SyntaxError
	if errors.As(err, &se) && se.Token != nil && se.Token.Position != nil {
		return Problem{File: name, Line: se.Token.Position.Line, Col: se.Token.Position.Column,
			Msg: "YAML syntax: " + se.Message}
	}
	msg := err.Error()
	if i := strings.IndexByte(msg, '\n'); i > 0 {
		msg = msg[:i]
	}
	return Problem{File: name, Msg: "YAML syntax: " + msg}
}

// headComment is the comment block at the top of a file, without its '#'
// marks (and the one space after them).
func headComment(data []byte) string {
	var lines []string
	for len(data) > 0 {
		end := bytes.IndexAny(data, "\r\n")
		if end < 0 {
			end = len(data)
		}
		l := string(data[:end])
		if !strings.HasPrefix(l, "#") {
			break
		}
		lines = append(lines, strings.TrimPrefix(strings.TrimPrefix(l, "#"), " "))
		if end < len(data) && data[end] == '\r' && end+1 < len(data) && data[end+1] == '\n' {
			end++
		}
		data = data[min(end+1, len(data)):]
	}
	return strings.Join(lines, "\n")
}

func (d *decoder) scenario(n ast.Node) *Scenario {
	sc := &Scenario{}
	sc.Seed, sc.Duration, sc.Transport, sc.Client.Strategy = 1, DefaultDuration, DefaultTransport, DefaultStrategy
	seen := topSection.read(d, n, topName, sc)
	if _, ok := seen["version"]; !ok {
		d.errf(n, "the scenario has no version: add 'version: %d' at the top", Version)
	}
	if _, ok := seen["name"]; !ok {
		d.errf(n, "the scenario has no name: add 'name: a-short-name'")
	}
	sends := 0
	for _, st := range sc.Steps {
		if st.Send != nil {
			sends++
		}
	}
	sends *= max(sc.Repeat, 1) // numbered on across the rounds
	for i, r := range sc.Expect.Requests {
		if r.Request > sends {
			what := fmt.Sprintf("expect.requests[%d]", i)
			line, col := (&source{pos: d.pos}).at(what)
			d.probs = append(d.probs, Problem{File: d.file, Line: line, Col: col,
				Msg: fmt.Sprintf("%s: request %d, but the steps send only %d (requests are numbered by send step, from 1)", what, r.Request, sends)})
		}
	}
	d.checkTimes(sc.Duration)
	return sc
}

// checkTimes refuses a duration that cannot be added to a moment of the
// run: the World adds each to a virtual time before the run's end, and a
// sum past the last virtual time would wrap around to "now".
func (d *decoder) checkTimes(runFor time.Duration) {
	for _, t := range d.times {
		if t.path == "duration" || strings.HasPrefix(t.path, "expect.") {
			continue // the end itself, and a bound that is compared, not added
		}
		if _, ok := vtime.Sum(runFor, t.v); !ok {
			d.probs = append(d.probs, Problem{File: d.file, Line: t.line, Col: t.col,
				Msg: fmt.Sprintf("%s: %s after the run's duration of %s goes past the last virtual time (%s): it cannot be represented",
					t.path, fmtDuration(t.v), fmtDuration(runFor), time.Duration(vtime.Never))})
		}
	}
}
