package check

// AnalyzeAll is the oracle as it was before it became a fold: it reads the
// whole trace after the run. The comparison test runs both.
var AnalyzeAll = analyzeAll
