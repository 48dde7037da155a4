// Package check is the oracle: it reads a run's trace and says, for every
// request a caller made, whether what the caller saw was right.
//
// It stands outside the client strategies on purpose: a strategy reports
// only what it handed over and from which received bytes; the World resolves
// those bytes to the agent reply they came from and that reply to the host
// write that completed the agent's message (trace.ReplyRef, trace.Origin).
// From that the oracle gives each request one verdict:
//
//	correct        the caller got the reply to its own request
//	not executed   the caller got the agent's reply to a message that ended
//	               in its request's bytes but was not its command: the
//	               bytes were glued to others (a dead client's fragment),
//	               and the agent answered a parse error instead of running it
//	misattributed  the caller got another request's reply, a reply to the
//	               client's own bytes (a sync, a 0xFF), a stale reply, or
//	               a line no agent wrote
//	corrupted      its own reply, with bytes a fault changed or added
//	garbled        a line spliced from several replies
//	timed out      the caller saw a timeout
//	failed         the caller saw an error without a reply
//	hung           no outcome by the end of the run and nothing that would end it
//	unfinished     no outcome yet when the run ended, with a timer still pending
//
// Separately it counts requests the agent never answered (lost), and the
// resync episodes: from the moment a client leaves "in sync"/"idle" for a
// resync state until it is back, with their durations.
//
// The oracle is a fold (Checker.Observe, an Observer): it takes the events
// as the run makes them and keeps only what an open question needs, so its
// memory does not grow with the run. A request is open until its outcome;
// whether the agent answered it stays open a little longer, until the
// agent replies to a message that ended past the request's bytes (the
// agent reads the host's bytes in order and answers in order). The summary
// lists the first and last Options.List requests and resync episodes and
// the requests named in Options.Keep; its counts, lost requests, median and
// worst resync cover the whole run (the median exactly up to 16,384
// episodes). Analyze folds a whole trace.
//
// Wire (wire.go) is the oracle for a client known only from its bytes (a
// real program in live mode, which reports no outcomes): a fold over the
// trace that finds the requests in the client's writes, follows each
// reply's bytes to the client and judges them in the same words, plus
// lost, unanswered and skipped (docs/live.md).
package check
