package sim

// DefaultMaxEvents is the event budget of a run whose Config gives none: a
// run that reaches it stops with ErrBudget instead of running (and, for a
// caller that keeps events, growing) without end. A fault-heavy run makes
// about 15 events per request, so the default allows several million
// requests; Config.MaxEvents raises or lowers it.
const DefaultMaxEvents int64 = 100_000_000
