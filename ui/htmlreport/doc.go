// Package htmlreport writes a run as one self-contained HTML file, fit to
// attach to a bug report and to read on a phone: the scenario's description
// and steps with their notes, the ladder diagram (ui/ladder's SVG), the
// requests with the oracle's verdicts, the expectations with pass or fail,
// both byte streams in the byte classes of the terminal UI (ui/model,
// bytefmt) with each byte's story on a tap, the faults that fired, and the
// seed and the command that reproduce the run.
//
// The contract. Write is a pure function of its Input: the same run gives
// the same bytes. The page loads nothing: its style and its one small script
// are inline, there is no font, image or script from elsewhere, and the
// links in a scenario's description are only followed when clicked. Every
// text from the scenario and the run goes through html/template's escaping;
// the SVG is built by ui/ladder, which escapes its own texts. The bytes
// shown are bounded (Input.StreamBytes, long runs of one class folded), so
// the file stays small however long the run was. The script marks the page
// ready (data-ready on <html>) when it ran without an exception, so that a
// browser test can tell.
package htmlreport
