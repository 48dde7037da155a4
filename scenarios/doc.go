// Package scenarios reads, checks and writes scenario files (format
// version 1, docs/scenario-format.md), runs them and judges their
// expectations; the library of scenarios is embedded (Library).
//
// The contract:
//
//   - A Scenario is typed data: the World's sim.Config with a name, a
//     description, a head comment and expectations. Load (or Parse) returns
//     one with every default filled in, or Problems: every problem of the
//     file at once, each at its own file:line:column. Build returns the
//     World's configuration, after the checks that depend on settings a
//     command line may change (the event budget, CheckBudget). Write writes
//     a Scenario back, canonical and readable, and Load(Write(s)) == s for
//     every s that Load returns; a program may change a Scenario in between.
//   - The format is declared once. Each section is a table of keys
//     (sections.go: topSection, agentSection, clientSection, dirSection,
//     expectSection, ...), each key a name, a codec (how its type is read,
//     written, shown in the JSON Schema) and where the value lives in the
//     model; fault parameters are declared by their kinds in sim/fault. The
//     loader, the writer, schema.json and the docs' tables all come from
//     those declarations; go test ./scenarios -update regenerates the
//     checked-in ones and a test fails while they are stale.
//   - Bytes have one grammar (trace.Unquote), read once from the text as
//     written, whatever the YAML quoting.
//   - Input is bounded before the YAML library sees it (MaxFileSize,
//     MaxTokens, MaxDepth), and loading is linear in the size of the file.
//   - Times are checked: a duration that cannot be added to a moment of the
//     run without passing the last virtual time is a problem at its
//     position, never a wrap-around.
//
// Adding a key. To give the agent a new fact (network interfaces, file
// systems, users...): add the field to agent.Config, then one line to
// agentSection in sections.go, e.g.
//
//	field("users", listOf(userSection.codec("user")), func(a *agent.Config) *[]agent.User { return &a.Users },
//		"none", "what guest-get-users returns"),
//
// with a nested section (a table of its own keys, like programSection) for
// a structured value, or one of the codecs in codecs.go (strCodec,
// intCodec, durCodec, bytesCodec, boolCodec, enumCodec, listOf, mapOf,
// ptrOf) for a simple one. A field whose zero value the loader would not
// give back (it has a default of its own) is declared with fieldAlways.
// Then run go test ./scenarios -update: the schema, the table in
// docs/scenario-format.md and the round trip (FuzzWriteRoundTrip) follow
// with nothing else to change. Keys of other sections are added the same
// way.
package scenarios
