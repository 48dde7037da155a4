package qjson

import "bytes"

// Limits of QEMU's JSON streamer, checked in this order before a token is
// queued; the first that fails is reported.
const (
	MaxTokenCount = 2 << 20 // tokens in one message: 2,097,152 pass, one more fails
	MaxNesting    = 1 << 10 // open braces plus brackets: 1024 pass, the 1025th fails
)

// The streamer's error texts (the parser adds its own, see parser.go).
const (
	ErrTokenSize  = "JSON token size limit exceeded"
	ErrTokenCount = "JSON token count limit exceeded"
	ErrNesting    = "JSON nesting depth limit exceeded"
)

// Message is what the parser hands on for each complete message: a value,
// or an error text (the "desc" the agent will put in its error reply).
// The objects in Value belong to the parser and are reused for the next
// message: a callback that keeps a Value beyond its return must Clone it.
type Message struct {
	Value Value
	Err   string // non-empty for an error; the text may hold any bytes
	// Shape, when not 0, says Value is objects the parser keeps for
	// messages alike (its templates): a later message of the same Shape
	// is the same objects, with the same members in the same order and
	// the same strings; only the values of its integers may differ. So a
	// caller may keep what it found out about the structure of a message
	// for the next one of the same Shape. 0 says nothing.
	Shape uint64
}

// IsError reports whether the message is an error.
func (m Message) IsError() bool { return m.Err != "" }

type queuedToken struct {
	typ        TokenType
	start, end int32 // text in the arena
}

// Parser is qemu-ga's JSON message parser: lexer, streamer and parser in one.
// It is never reset by a client coming or going; only a new agent process
// starts afresh, with a new Parser or one Reset.
type Parser struct {
	lex     lexer
	brace   int
	bracket int
	queue   []queuedToken
	arena   []byte // token texts of the queued tokens
	size    int    // token_size: bytes queued in this message
	emit    func(Message)
	slow    bool // no fast path (fast.go): for the tests that compare the two
	off     int  // bytes of the current Feed lexed so far
	dec     decoder
}

// NewParser returns a parser in its initial state.
func NewParser() *Parser {
	p := &Parser{}
	p.lex.reset()
	return p
}

// Reset puts the parser back in its initial state, as NewParser returns
// it, for a new agent process: no partial message, no token in progress.
// It keeps its memory, its interned strings and its templates (which
// decide nothing: they only spare work on objects already seen).
func (p *Parser) Reset() {
	p.lex.reset()
	p.lex.release()
	p.drop()
	p.emit, p.off = nil, 0
}

// Feed lexes the bytes and calls emit once for each message completed by
// them, in order. A number or keyword at the end of b waits for the next byte.
func (p *Parser) Feed(b []byte, emit func(Message)) {
	p.emit = emit
	l := &p.lex
	for i := 0; i < len(b); {
		st := l.state
		if st == InRecovery && lexTable[InRecovery][b[i]] == uint8(InStart)|lookahead && !p.slow {
			// The byte ends recovery and is lexed again from IN_START (the
			// token is empty in recovery): do it here, so that an object
			// right after a stray byte (a client's 0xFF) takes the fast
			// path below. The slow path goes through the lexer, which
			// FuzzParser compares this with.
			l.token = l.token[:0]
			l.state = InStart
			continue
		}
		if st == InStart && b[i] == '{' && len(p.queue) == 0 && !p.slow {
			if v, end, shape, ok := p.dec.fastObject(b, i); ok {
				p.off = end
				p.finish(Message{Value: v, Shape: shape})
				i = end
				continue
			}
		}
		if lexTable[st][b[i]] != uint8(st) {
			p.off = i + 1
			l.feedByte(b[i], p)
			i++
			continue
		}
		// A run of bytes that leave the lexer where it is (the inside of a
		// string, digits, a keyword, whitespace, skipped bytes in recovery)
		// is taken in one go: the same result as byte by byte, but fast.
		j := i + 1
		for j < len(b) && lexTable[st][b[j]] == uint8(st) {
			j++
		}
		if st != InStart && st != InRecovery {
			// Stop where the token would outgrow the size limit, so that it
			// is handed over at the same byte as byte by byte.
			j = min(j, i+MaxTokenSize+1-len(l.token))
			l.appendRun(b[i:j])
			if len(l.token) > MaxTokenSize {
				p.off = j
				l.oversize(p)
			}
		}
		i = j
	}
	p.emit = nil
	p.off = 0
}

// Intern registers strings that messages often hold (member names,
// command names): decoding one of them then returns the registered copy
// instead of allocating a new string.
func (p *Parser) Intern(strs ...string) {
	for _, s := range strs {
		p.dec.intern.Add(s)
	}
}

// InternShared interns the strings of t, read in place (Names.Share):
// many parsers may share one table.
func (p *Parser) InternShared(t *Names) {
	if len(p.dec.intern.list) > 0 {
		for _, s := range t.list {
			p.dec.intern.Add(s)
		}
		return
	}
	p.dec.intern = t.Share()
}

// Offset is, while Feed is calling back, how many bytes of its input have
// been lexed: the message being handed on ended at that byte.
func (p *Parser) Offset() int64 { return int64(p.off) }

// token is the streamer: it receives each token from the lexer.
func (p *Parser) token(t TokenType, text []byte) {
	switch t {
	case TokLCurly:
		p.brace++
	case TokRCurly:
		p.brace--
	case TokLSquare:
		p.bracket++
	case TokRSquare:
		p.bracket--
	case TokError:
		// The text is a C string in QEMU: a NUL byte ends it.
		if i := bytes.IndexByte(text, 0); i >= 0 {
			text = text[:i]
		}
		p.finish(Message{Err: strayError(text)})
		return
	}
	switch {
	case p.size+len(text)+1 > MaxTokenSize:
		p.finish(Message{Err: ErrTokenSize})
		return
	case len(p.queue)+1 > MaxTokenCount:
		p.finish(Message{Err: ErrTokenCount})
		return
	case p.bracket+p.brace > MaxNesting:
		p.finish(Message{Err: ErrNesting})
		return
	}
	start := len(p.arena)
	p.arena = append(p.arena, text...)
	p.queue = append(p.queue, queuedToken{typ: t, start: int32(start), end: int32(len(p.arena))})
	p.size += len(text)
	if (p.brace > 0 || p.bracket > 0) && p.brace >= 0 && p.bracket >= 0 {
		return
	}
	p.finish(p.dec.parse(p.queue, p.arena))
}

// strayError is the error text for a lexical error on text. A stray
// byte is the usual one (a client's 0xFF sentinel before every sync): its
// texts are made once, not once per error.
func strayError(text []byte) string {
	if len(text) == 1 {
		return strayByte[text[0]]
	}
	return errPrefix + "stray '" + string(text) + "'"
}

var strayByte = func() (t [256]string) {
	for c := range t {
		t[c] = errPrefix + "stray '" + string([]byte{byte(c)}) + "'"
	}
	return t
}()

// finish hands a message on and resets the streamer (never the lexer).
func (p *Parser) finish(m Message) {
	p.drop()
	if p.emit != nil {
		p.emit(m)
	}
}

// drop forgets the message in progress.
func (p *Parser) drop() {
	p.brace, p.bracket = 0, 0
	p.queue = p.queue[:0]
	p.arena = p.arena[:0]
	p.size = 0
	// A message of more than 1 MiB leaves big buffers behind; let them go so
	// that an agent's memory stays bounded by the current message.
	if cap(p.arena) > 1<<20 {
		p.arena = nil
	}
	if cap(p.queue) > 1<<16 {
		p.queue = nil
	}
}

// State is a snapshot of the parser for display: the lexer's state, the
// streamer's counts, and the text of the token being built.
type State struct {
	Lex     LexState
	Brace   int
	Bracket int
	Queued  int    // tokens waiting for the message to complete
	Token   []byte // the token in progress (a copy, at most 64 bytes)
	Pending int    // bytes queued plus the token in progress
}

// State returns a snapshot of the parser.
func (p *Parser) State() State {
	tok := p.lex.token
	if len(tok) > 64 {
		tok = tok[len(tok)-64:]
	}
	return State{
		Lex: p.lex.state, Brace: p.brace, Bracket: p.bracket, Queued: len(p.queue),
		Token: append([]byte(nil), tok...), Pending: p.size + len(p.lex.token),
	}
}

// Idle reports whether the parser holds nothing: no partial message, no
// token in progress, not in recovery.
func (p *Parser) Idle() bool {
	return p.lex.state == InStart && len(p.lex.token) == 0 && len(p.queue) == 0
}
