package qjson

// LexState is a state of QEMU's JSON lexer. The names and the numbering
// follow QEMU's enum so that a trace or the UI can show the same words a
// reader of QEMU's source would look for.
type LexState uint8

// Lexer states. IN_INTERP and IN_START_INTERP exist in QEMU but are never
// entered by qemu-ga, which sets its parser up with interpolation off.
const (
	InRecovery LexState = iota + 1
	InDQStringEscape
	InDQString
	InSQStringEscape
	InSQString
	InZero
	InExpDigits
	InExpSign
	InExpE
	InMantissa
	InMantissaDigits
	InDigits
	InSign
	InKeyword
	InInterp
	InStart
	InStartInterp
)

var lexStateNames = [...]string{
	InRecovery: "IN_RECOVERY", InDQStringEscape: "IN_DQ_STRING_ESCAPE", InDQString: "IN_DQ_STRING",
	InSQStringEscape: "IN_SQ_STRING_ESCAPE", InSQString: "IN_SQ_STRING", InZero: "IN_ZERO",
	InExpDigits: "IN_EXP_DIGITS", InExpSign: "IN_EXP_SIGN", InExpE: "IN_EXP_E", InMantissa: "IN_MANTISSA",
	InMantissaDigits: "IN_MANTISSA_DIGITS", InDigits: "IN_DIGITS", InSign: "IN_SIGN", InKeyword: "IN_KEYWORD",
	InInterp: "IN_INTERP", InStart: "IN_START", InStartInterp: "IN_START_INTERP",
}

func (s LexState) String() string {
	if int(s) < len(lexStateNames) && lexStateNames[s] != "" {
		return lexStateNames[s]
	}
	return "IN_?"
}

// TokenType is the type of a token handed from the lexer to the streamer.
type TokenType uint8

// Token types, numbered as QEMU's (an unset table entry, 0, is an error).
const (
	TokError  TokenType = 0
	TokLCurly TokenType = 100 + iota - 1
	TokRCurly
	TokLSquare
	TokRSquare
	TokColon
	TokComma
	TokInteger
	TokFloat
	TokKeyword
	TokString
	TokInterp
	TokEndOfInput
	// tokOversize is not a QEMU token type: it stands for the lexer handing
	// over a token in progress that outgrew the size limit (QEMU passes its
	// current state number as the type, which the streamer treats as no
	// structural token and then rejects on size).
	tokOversize
)

// lookahead marks a transition that does not consume the byte: the byte is
// lexed again from the new state.
const lookahead = 0x80

// MaxTokenSize is QEMU's MAX_TOKEN_SIZE: 64 MiB, both for one token in the
// lexer and for all the tokens of one message in the streamer.
const MaxTokenSize = 64 << 20

// lexTable[state][byte] is the next state, or a token type (>= 100) to emit,
// or 0 for a lexical error, possibly with the lookahead bit.
var lexTable [InStartInterp + 1][256]uint8

func init() {
	set := func(s LexState, lo, hi byte, to uint8) {
		for c := int(lo); c <= int(hi); c++ {
			lexTable[s][c] = to
		}
	}
	all := func(s LexState, to uint8) { set(s, 0, 0xFF, to) }
	terminal := func(s LexState, t TokenType) { all(s, uint8(t)|lookahead) }

	// After an error: skip everything but the bytes that are "promising
	// resynchronisation points" (structural characters, line ends) and the
	// ones a client can send on purpose (control bytes, 0xFE, 0xFF). Those
	// end recovery and are lexed again from IN_START.
	all(InRecovery, uint8(InStart)|lookahead)
	set(InRecovery, 0x20, 0xFD, uint8(InRecovery))
	for _, c := range []byte("[]{}:,") {
		lexTable[InRecovery][c] = uint8(InStart) | lookahead
	}
	lexTable[InRecovery]['\t'] = uint8(InRecovery)

	// Strings: printable bytes and every byte up to 0xFD stay in the string;
	// a backslash escapes any one such byte (the parser judges it later).
	for _, q := range []struct {
		in, esc LexState
		quote   byte
	}{{InDQString, InDQStringEscape, '"'}, {InSQString, InSQStringEscape, '\''}} {
		set(q.in, 0x20, 0xFD, uint8(q.in))
		lexTable[q.in]['\\'] = uint8(q.esc)
		lexTable[q.in][q.quote] = uint8(TokString)
		set(q.esc, 0x20, 0xFD, uint8(q.in))
	}

	// Numbers. States without a terminal entry make any unexpected byte an
	// error that swallows it ("1.}" is stray '1.}').
	terminal(InZero, TokInteger)
	set(InZero, '0', '9', uint8(TokError))
	lexTable[InZero]['.'] = uint8(InMantissa)
	// No exponent straight after a lone zero: "0e5" is the integer 0 and
	// then the keyword "e" (found by the differential fuzzer: qemu-ga lexes
	// '-0e"' as -0, e, and a string).

	terminal(InDigits, TokInteger)
	set(InDigits, '0', '9', uint8(InDigits))
	lexTable[InDigits]['.'] = uint8(InMantissa)
	lexTable[InDigits]['e'] = uint8(InExpE)
	lexTable[InDigits]['E'] = uint8(InExpE)

	lexTable[InSign]['0'] = uint8(InZero)
	set(InSign, '1', '9', uint8(InDigits))

	set(InMantissa, '0', '9', uint8(InMantissaDigits))

	terminal(InMantissaDigits, TokFloat)
	set(InMantissaDigits, '0', '9', uint8(InMantissaDigits))
	lexTable[InMantissaDigits]['e'] = uint8(InExpE)
	lexTable[InMantissaDigits]['E'] = uint8(InExpE)

	lexTable[InExpE]['-'] = uint8(InExpSign)
	lexTable[InExpE]['+'] = uint8(InExpSign)
	set(InExpE, '0', '9', uint8(InExpDigits))

	set(InExpSign, '0', '9', uint8(InExpDigits))

	terminal(InExpDigits, TokFloat)
	set(InExpDigits, '0', '9', uint8(InExpDigits))

	// Keywords: lowercase letters only; the parser checks the word.
	terminal(InKeyword, TokKeyword)
	set(InKeyword, 'a', 'z', uint8(InKeyword))

	// IN_START: whitespace is skipped, structural characters are tokens at
	// once, and every other byte is an error.
	for _, c := range []byte(" \t\r\n") {
		lexTable[InStart][c] = uint8(InStart)
	}
	lexTable[InStart]['"'] = uint8(InDQString)
	lexTable[InStart]['\''] = uint8(InSQString)
	lexTable[InStart]['0'] = uint8(InZero)
	set(InStart, '1', '9', uint8(InDigits))
	lexTable[InStart]['-'] = uint8(InSign)
	lexTable[InStart]['{'] = uint8(TokLCurly)
	lexTable[InStart]['}'] = uint8(TokRCurly)
	lexTable[InStart]['['] = uint8(TokLSquare)
	lexTable[InStart][']'] = uint8(TokRSquare)
	lexTable[InStart][','] = uint8(TokComma)
	lexTable[InStart][':'] = uint8(TokColon)
	set(InStart, 'a', 'z', uint8(InKeyword))
}

// lexer is the byte-at-a-time state machine. It hands tokens to its sink.
type lexer struct {
	state LexState
	token []byte // text of the token in progress
}

func (l *lexer) reset() {
	l.state = InStart
	l.token = l.token[:0]
}

// feedByte lexes one byte. It may hand zero, one or two tokens to sink (two
// when a number or keyword is ended by a byte that is itself a token).
func (l *lexer) feedByte(c byte, sink *Parser) {
	for {
		next := lexTable[l.state][c]
		consumed := next&lookahead == 0
		next &^= lookahead
		if consumed {
			l.token = append(l.token, c)
		}
		switch {
		case next >= uint8(TokLCurly):
			sink.token(TokenType(next), l.token)
			l.token = l.token[:0]
			l.state = InStart
			l.release()
		case next == uint8(InStart):
			l.token = l.token[:0]
			l.state = InStart
		case next == uint8(TokError):
			sink.token(TokError, l.token)
			l.token = l.token[:0]
			l.state = InRecovery
			l.release()
		case next == uint8(InRecovery):
			l.token = l.token[:0]
			l.state = InRecovery
		default:
			l.state = LexState(next)
		}
		if consumed {
			break
		}
	}
	// A single token may not grow without bound: hand it over as it is and
	// start afresh in the middle of it; the streamer rejects it on size.
	if len(l.token) > MaxTokenSize {
		l.oversize(sink)
	}
}

// oversize hands over a token in progress that outgrew the size limit and
// starts afresh in the middle of it; the streamer rejects it on size.
func (l *lexer) oversize(sink *Parser) {
	sink.token(tokOversize, l.token)
	l.token = l.token[:0]
	l.state = InStart
	// The buffer is kept: what follows is most likely more of the same.
}

// maxKeptToken is the most capacity the token buffer keeps between tokens.
const maxKeptToken = 1 << 20

// release lets a buffer grown by a long token go, so that an agent's
// memory is bounded by the token in progress, not by the longest one seen.
func (l *lexer) release() {
	if cap(l.token) > maxKeptToken {
		l.token = nil
	}
}

// appendRun adds a run of bytes to the token in progress. The buffer grows
// by doubling, then at once to what the size limit lets a token hold, and
// never past it: append's own growth took a 64 MiB token to an 80 MiB
// buffer, and with the old one still live during the copy, a client that
// sent a string without end held 144 MiB in the lexer alone.
func (l *lexer) appendRun(run []byte) {
	if need := len(l.token) + len(run); need > cap(l.token) {
		size := max(need, 2*cap(l.token), 64)
		if size > MaxTokenSize/8 {
			// A token this long is either a big argument or a client
			// that never ends one: go straight to the most a token holds
			// before it is handed over, rather than through 16, 32 and
			// 64 MiB copies whose garbage adds up.
			size = MaxTokenSize + 1
		}
		grown := make([]byte, len(l.token), size)
		copy(grown, l.token)
		l.token = grown
	}
	l.token = append(l.token, run...)
}
