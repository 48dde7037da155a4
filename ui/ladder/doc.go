// Package ladder draws a run as the picture protocol people draw on
// whiteboards: a sequence (ladder) diagram with one column for the host
// program (its callers and the client strategy), one for the link and one
// for the guest agent (one process after another), time running down.
//
// The contract. A Builder folds trace events (sim/trace), in the order the
// World emitted them, into rows; Ladder judges them with the oracle's
// summary (sim/check) and returns the picture. Build does both for a whole
// trace. It is a pure function of the events and the summary: no clock, no
// terminal, no files.
//
// What a row is:
//
//   - an arrow for every write (a host write, an agent reply), labelled with
//     the command or a short form of the reply. A write whose bytes all reach
//     one reader within Options.Instant is one arrow from writer to reader;
//     a slower one is drawn in two, into the link when written and out of it
//     when read, with what happened meanwhile between them. Consecutive reads
//     of one write are one arrow ("12 reads");
//   - marks on an arrow for what faults and the transport did to its bytes
//     (lost, cut, corrupted, added, held), and the class its bytes have in
//     the byte panes (bytefmt.ClassOf), so that an arrow has the colour of
//     its bytes: discarded replies are dotted, a 0xFF is flagged;
//   - notes: a caller's timeout or failure, a reply handed to a caller it
//     does not answer (drawn from the arrow that brought it, with the
//     oracle's verdict), an agent's death and restart (its lifeline broken
//     between them), a connection opened or closed, a fault with no bytes;
//   - steps of the scenario with their notes.
//
// Runs of alike rows (87 dropped replies) are folded into one with a count.
// Memory is bounded by Options.MaxRows, not by the length of the run: the
// oldest rows are dropped and counted.
//
// Renderers: Text (the terminal, and a code block in an issue), SVG (the
// HTML report) and Mermaid (a sequenceDiagram that GitHub renders). The
// package imports no terminal library: the TUI gives the classes colours.
package ladder
