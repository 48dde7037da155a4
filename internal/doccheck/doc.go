// Package doccheck holds the tests that keep the repository's Markdown
// honest: every relative link in README.md and docs/ (and every other
// Markdown file of the repository) names a file of the repository (and a
// heading of it, for a #fragment), no link or mention leads outside the
// repository, and every page of docs/ is reachable from the README. It has
// no code of its own.
package doccheck
