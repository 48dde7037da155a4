package sweep

import (
	"fmt"
	"strconv"
	"strings"
)

// Shard is one part of a sweep split over Count machines: shard Index
// (from 0) runs the seeds whose position in the range, counted from 0,
// leaves Index when divided by Count. Shard k of n of the range 1-100
// runs seeds 1+k, 1+k+n, 1+k+2n, ...: every seed belongs to exactly one
// shard, and the shards' sizes differ by at most one.
type Shard struct{ Index, Count uint64 }

// Whole is the sweep unsplit.
var Whole = Shard{Index: 0, Count: 1}

func (s Shard) String() string {
	return strconv.FormatUint(s.Index, 10) + "/" + strconv.FormatUint(s.Count, 10)
}

// IsWhole reports an unsplit sweep.
func (s Shard) IsWhole() bool { return s.Count <= 1 }

// ParseShard reads "i/n", i from 0 to n-1.
func ParseShard(v string) (Shard, error) {
	a, b, ok := strings.Cut(strings.TrimSpace(v), "/")
	if !ok {
		return Shard{}, fmt.Errorf("bad shard %q: want i/n, shard i (from 0) of n, e.g. 3/16", v)
	}
	i, err1 := strconv.ParseUint(strings.TrimSpace(a), 10, 64)
	n, err2 := strconv.ParseUint(strings.TrimSpace(b), 10, 64)
	if err1 != nil || err2 != nil {
		return Shard{}, fmt.Errorf("bad shard %q: want i/n with whole numbers, e.g. 3/16", v)
	}
	return newShard(i, n, v)
}

func newShard(i, n uint64, v string) (Shard, error) {
	if n == 0 {
		return Shard{}, fmt.Errorf("bad shard %q: the number of shards must be at least 1", v)
	}
	if i >= n {
		return Shard{}, fmt.Errorf("bad shard %q: shards are numbered 0 to %d", v, n-1)
	}
	return Shard{Index: i, Count: n}, nil
}

// Size is how many seeds of the range this shard runs.
func (s Shard) Size(r Seeds) uint64 {
	total := r.Count()
	n := total / s.Count
	if s.Index < total%s.Count {
		n++
	}
	return n
}

// Seed is the k-th seed (from 0) this shard runs.
func (s Shard) Seed(r Seeds, k uint64) uint64 { return r.First + s.Index + k*s.Count }

// Owns reports whether this shard runs seed.
func (s Shard) Owns(r Seeds, seed uint64) bool {
	return seed >= r.First && seed <= r.Last && (seed-r.First)%s.Count == s.Index
}

// The environment variables of the engines that run shards: a Kubernetes
// Indexed Job gives each pod its index (from 0), and the count is the
// Job's completions, which the pod is told with --shard-count; GitLab CI's
// parallel jobs give the index from 1 and the count.
const (
	EnvKubernetesIndex = "JOB_COMPLETION_INDEX"
	EnvGitLabIndex     = "CI_NODE_INDEX"
	EnvGitLabTotal     = "CI_NODE_TOTAL"
)

// ShardFromEnv finds the shard of a sweep run by an engine, when the
// command line gives none: from JOB_COMPLETION_INDEX and count (the
// --shard-count flag, 0 when not given), or from CI_NODE_INDEX and
// CI_NODE_TOTAL. It says where it found the shard, "" when nowhere (then
// the sweep is Whole). A count without an index, or an index without a
// count, is an error: a shard that runs everything would do n times the
// work and merge into duplicates.
func ShardFromEnv(getenv func(string) string, count uint64) (Shard, string, error) {
	k8s := strings.TrimSpace(getenv(EnvKubernetesIndex))
	glIndex, glTotal := strings.TrimSpace(getenv(EnvGitLabIndex)), strings.TrimSpace(getenv(EnvGitLabTotal))
	switch {
	case k8s != "":
		if count == 0 {
			return Shard{}, "", fmt.Errorf("%s=%s is set (a Kubernetes Indexed Job) but not --shard-count: give the Job's completions, e.g. --shard-count 16", EnvKubernetesIndex, k8s)
		}
		i, err := strconv.ParseUint(k8s, 10, 64)
		if err != nil {
			return Shard{}, "", fmt.Errorf("%s=%q is not a whole number", EnvKubernetesIndex, k8s)
		}
		s, err := newShard(i, count, fmt.Sprintf("%s=%s with --shard-count %d", EnvKubernetesIndex, k8s, count))
		return s, fmt.Sprintf("%s=%s, --shard-count %d", EnvKubernetesIndex, k8s, count), err
	case count != 0:
		return Shard{}, "", fmt.Errorf("--shard-count needs %s (set by a Kubernetes Indexed Job); elsewhere give --shard i/n", EnvKubernetesIndex)
	case glIndex != "" || glTotal != "":
		if glIndex == "" || glTotal == "" {
			return Shard{}, "", fmt.Errorf("%s=%q and %s=%q: GitLab sets both for a parallel job", EnvGitLabIndex, glIndex, EnvGitLabTotal, glTotal)
		}
		i, err1 := strconv.ParseUint(glIndex, 10, 64)
		n, err2 := strconv.ParseUint(glTotal, 10, 64)
		if err1 != nil || err2 != nil || i == 0 {
			return Shard{}, "", fmt.Errorf("%s=%q and %s=%q: want the node's number from 1 and the number of nodes", EnvGitLabIndex, glIndex, EnvGitLabTotal, glTotal)
		}
		// GitLab counts nodes from 1.
		s, err := newShard(i-1, n, fmt.Sprintf("%s=%s of %s=%s", EnvGitLabIndex, glIndex, EnvGitLabTotal, glTotal))
		return s, fmt.Sprintf("%s=%s, %s=%s", EnvGitLabIndex, glIndex, EnvGitLabTotal, glTotal), err
	}
	return Whole, "", nil
}
