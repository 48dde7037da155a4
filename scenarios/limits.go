package scenarios

import (
	"fmt"
	"unicode/utf8"

	"github.com/goccy/go-yaml/token"
)

// Limits on a scenario file, checked before the YAML parser builds its
// tree: the YAML library's memory grows with the number of tokens (a few
// hundred bytes each) and its parser's with the square of the nesting
// (20,000 '[' cost it 650 MB), so a file past a limit is refused with the
// position where it passes it: the size and the tokens before the YAML
// library sees the file, the nesting from its tokens before it parses.
const (
	// MaxFileSize is the largest scenario file, in bytes (8 MiB); Load
	// reads no more than one byte past it (so /dev/zero is refused too).
	MaxFileSize = 8 << 20
	// MaxDepth is the deepest nesting of mappings and lists.
	MaxDepth = 64
	// MaxTokens is the most YAML tokens (keys, values, '-', ':', '[', ...)
	// in a file, counted high (countTokens). The YAML library needs about
	// 600 bytes a token while it parses, so a file just under the limit
	// that is refused only after parsing costs about 215 MB allocated in
	// all (150 MB resident): within the 256 MB that any rejected input may
	// cost. Long text weighs too (BytesPerToken): together they allow about
	// 58,000 one-line steps.
	MaxTokens = 350_000
	// BytesPerToken: every this many bytes of a file count as one token
	// more against MaxTokens. The YAML library holds about 25 bytes for
	// every byte of a scalar while it parses (its runes, its buffers, the
	// value and the source text of the token), against some 320 for a
	// token: a file of one 8 MiB scalar, 9 tokens, held 178 MB and took
	// 300 MB resident to be refused. Weighed this way, no file under the
	// limit holds more than about 115 MB while it is parsed, whatever its
	// mix of tokens and text.
	BytesPerToken = 12
)

// WithinLimits reports whether a file of these bytes passes the limits a
// scenario's size is checked against before parsing (MaxFileSize,
// MaxTokens), without parsing it: cheap enough for a writer to try several
// forms of a scenario and keep one that Load will take.
func WithinLimits(data []byte) bool {
	return len(data) <= MaxFileSize && countTokens(data, MaxTokens) < 0
}

// maxDepth bounds the nesting of JSON arguments the writer turns into YAML.
const maxDepth = MaxDepth

// checkText refuses bytes that cannot be a YAML file: not UTF-8, or a
// character YAML does not allow (a control character other than tab and
// line breaks). It returns the problem at the first such character.
func checkText(name string, data []byte) *Problem {
	line, col := 1, 1
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			return &Problem{File: name, Line: line, Col: col,
				Msg: fmt.Sprintf("the file is not UTF-8 text (byte 0x%02x); write bytes with escapes such as \\x%02x in a byte string", data[i], data[i])}
		case r == '\n':
			line, col = line+1, 0
		case r == '\t' || r == '\r' || r == 0x85 || printableRune(r) || r == 0x2028 || r == 0x2029 || r == 0xfeff:
		default:
			return &Problem{File: name, Line: line, Col: col,
				Msg: fmt.Sprintf("the file holds the control character U+%04X, which YAML does not allow; in a string write it as \\x%02x in double quotes", r, r)}
		}
		i += size
		col++
	}
	return nil
}

// countTokens is a quick upper bound on the number of tokens the YAML
// scanner will make of data, counted without allocating: every word (a
// run of characters between spaces and line breaks), every flow mark
// ('[', ']', '{', '}', ',') and every ':' before a space, and one more
// for every BytesPerToken bytes, whatever they are. It counts every word
// of a quoted string or a comment too, so it only errs high. It returns
// the offset where the count passes limit, or -1.
func countTokens(data []byte, limit int) int {
	n, inWord, weigh := 0, false, BytesPerToken
	for i, c := range data {
		if weigh--; weigh == 0 {
			weigh = BytesPerToken
			if n++; n > limit {
				return i
			}
		}
		switch c {
		case ' ', '\t', '\r', '\n':
			inWord = false
			continue
		case '[', ']', '{', '}', ',':
			n++
		case ':':
			if i+1 == len(data) || data[i+1] == ' ' || data[i+1] == '\n' || data[i+1] == '\r' || data[i+1] == '\t' {
				n++
			}
		}
		if !inWord {
			n++
			inWord = true
		}
		if n > limit {
			return i
		}
	}
	return -1
}

// checkDepth refuses tokens nested deeper than MaxDepth, at the first
// token past it. The depth counts the open flow collections ('[', '{')
// and, in block style, a stack of indentations: a key or a '-' at a
// column deeper than the innermost open one opens a level; one at the
// same column replaces it (a sibling), except that a '-' at the column of
// a key is the key's list.
func checkDepth(name string, toks token.Tokens) *Problem {
	type level struct {
		col int
		seq bool
	}
	var block []level
	flow := 0
	var prev *token.Token
	for _, tk := range toks {
		col := 0
		if tk.Position != nil {
			col = tk.Position.Column
		}
		switch tk.Type {
		case token.SequenceStartType, token.MappingStartType:
			flow++
		case token.SequenceEndType, token.MappingEndType:
			if flow > 0 {
				flow--
			}
		case token.DocumentHeaderType:
			block, flow = block[:0], 0
		case token.SequenceEntryType:
			if flow == 0 {
				for len(block) > 0 && (block[len(block)-1].col > col || (block[len(block)-1].col == col && block[len(block)-1].seq)) {
					block = block[:len(block)-1]
				}
				block = append(block, level{col, true})
			}
		case token.MappingValueType:
			if flow == 0 && prev != nil && prev.Position != nil {
				kc := prev.Position.Column
				for len(block) > 0 && block[len(block)-1].col >= kc {
					block = block[:len(block)-1]
				}
				block = append(block, level{kc, false})
			}
		}
		if len(block)+flow > MaxDepth {
			p := &Problem{File: name, Msg: fmt.Sprintf("mappings and lists nest deeper than %d levels here", MaxDepth)}
			if tk.Position != nil {
				p.Line, p.Col = tk.Position.Line, tk.Position.Column
			}
			return p
		}
		if tk.Type != token.CommentType {
			prev = tk
		}
	}
	return nil
}
