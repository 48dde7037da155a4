// Package sweep runs scenarios at many seeds and under many client
// strategies, in parallel, and sums the runs up in a table; it splits a
// sweep into shards for many machines and merges their outputs.
//
// The contract:
//
//   - A Plan is scenarios (Targets), each with its strategies, a range of
//     Seeds and the Shard of it to run. Run makes every run of the plan on
//     Options.Jobs goroutines and hands each run's Record to one callback,
//     in a fixed order: scenario, then strategy (in the plan's order), then
//     seed. The order and the Records do not depend on the number of jobs:
//     the same plan gives the same lines, byte for byte.
//   - A Record is one line of JSON (AppendJSON, ParseRecord), after a
//     Header line that says what the sweep ran (docs/sweep.md: the format
//     and its version). The Table is computed from Records only, in any
//     order (Table.Add): the table printed after a sweep is the table of its
//     lines, and the table of merged shards is the table of the whole.
//   - Memory does not grow with the number of seeds: runs are emitted as
//     they finish, at most Jobs x 4 batches of 64 runs wait for an earlier
//     one, and the Table keeps counters, a histogram of resync times and
//     the FirstSeeds smallest seeds of each kind of failure.
//   - A Shard i/n runs the seeds whose position in the range (from 0)
//     leaves i when divided by n; ShardFromEnv reads the index and count
//     that Kubernetes Indexed Jobs and GitLab's parallel jobs give. Merge
//     takes the outputs of all n shards, checks that they are the shards of
//     one sweep (same scenario contents, strategies, seeds; each shard once;
//     no run missing or out of place) and streams their runs in the order
//     of the unsharded sweep: the union of n shards equals the unsharded
//     sweep, line for line.
package sweep
