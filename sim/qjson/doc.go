// Package qjson is QEMU-compatible JSON as qemu-ga 7.2 reads and writes it.
//
// It is not a general JSON library. It reproduces, byte for byte, the
// behaviour of QEMU's JSON lexer, streamer and parser on a byte stream that
// may be dirty, cut or hostile, and the output of QEMU's JSON writer:
//
//   - Lexer: QEMU's lexical states (IN_START, IN_DQ_STRING, IN_RECOVERY, ...),
//     one byte at a time, with lookahead for numbers and keywords and the
//     recovery rule (after a lexical error every byte is skipped until a
//     control byte other than tab, 0xFE, 0xFF or a structural character).
//   - Streamer: brace and bracket accounting that decides when a message is
//     complete, and the three limits (64 MiB of token text, 2,097,152 tokens,
//     nesting 1024), checked in qemu's order with qemu's texts.
//   - Parser: modified UTF-8, single-quoted strings, the escape rules, integer
//     to int64/uint64/double promotion, and qemu's error texts, of which only
//     the first is kept.
//   - Writer: the compact form with ": " and ", ", uppercase \uXXXX escapes,
//     %.17g doubles, and QDict's key order (512 hash buckets, newest first in
//     a bucket), so that a reply is the same bytes as the real agent's.
//
// A fast path (fast.go) reads small plain objects, the bulk of what an
// agent reads, without the per-byte machinery; it gives up at the first
// byte outside its small grammar and is checked against the slow path by
// FuzzParser; the last few objects it read are kept as templates
// (template.go), so that the same request with other numbers costs a
// comparison. The objects of a Message are reused by later messages:
// Value.Clone keeps one beyond the callback. Message.Shape says which
// messages are one template's objects, so that a caller may keep what it
// found out about one for the next (the agent does for its requests).
//
// The package is a pure state machine: Parser.Feed takes bytes and calls back
// with complete messages; nothing here reads a clock, starts a goroutine or
// touches I/O. Every rule is described in the project's protocol reference
// and checked against the real qemu-ga by the agent's differential tests.
package qjson
