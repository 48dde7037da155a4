// Package termsafe makes text safe to print on a terminal.
//
// Scenario files, command lines and the bytes of a protocol session are
// input that qgasim echoes in its human output: a name, a description, a
// note, a fault name, a reply. Printed raw, an escape sequence in them can
// set the terminal's title, clear the screen, move the cursor, or forge a
// line such as "PASS". This package escapes, visibly, every character that
// a terminal acts on instead of showing:
//
//   - C0 controls (U+0000 to U+001F) and DEL as \xNN, with \n, \r and \t
//     for those three;
//   - C1 controls (U+0080 to U+009F, which some terminals take as CSI and
//     friends) and the bidirectional controls that reorder what is shown
//     (U+200E, U+200F, U+202A to U+202E, U+2066 to U+2069) as \uNNNN;
//   - bytes that are not UTF-8 as \xNN.
//
// Line is for one-line fields: a newline is escaped too, so that nothing
// can start a line of its own. Block is for text where a newline is
// legitimate (a description, a note): the lines stay lines, and each one
// after the first is indented, so that none starts at the left margin.
// Writer is the net under both: a writer for a whole human output stream
// that escapes whatever control character reaches it, except newline and
// tab, which the stream's own layout uses.
//
// A backslash is not escaped: the escapes are for reading, not for
// parsing back. Machine output (JSON) does not go through this package;
// its encoder escapes what JSON needs.
package termsafe
