// Package scenariotest is what tests need to run scenarios: the library's
// names and files, a scenario run at its own seed with every event kept,
// and the walks over the library on which a property of the whole library
// is checked (every scenario under every client strategy: at seeds 1 to
// n, or at the file's own seed). It fails the test it is given on any error, so that a test says
// only what it checks. Tests only: it imports package testing.
package scenariotest
