package scenarios

import "flag"

// update rewrites the generated files (schema.json, the docs' tables) and
// the expected outputs of the fixtures: go test ./scenarios -update.
var update = flag.Bool("update", false, "rewrite generated files and expected outputs")
