package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
)

// docBlock returns the fenced code block of docs/sweep.md whose first line
// starts with first.
func docBlock(t *testing.T, first string) string {
	t.Helper()
	data, err := os.ReadFile("../../docs/sweep.md")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(data), "\n")
	for i, l := range lines {
		if !strings.HasPrefix(l, "```") || i+1 >= len(lines) || !strings.HasPrefix(lines[i+1], first) {
			continue
		}
		var b strings.Builder
		for _, x := range lines[i+1:] {
			if strings.HasPrefix(x, "```") {
				return b.String()
			}
			b.WriteString(x + "\n")
		}
	}
	t.Fatalf("docs/sweep.md has no code block starting %q", first)
	return ""
}

// get walks a decoded YAML document: keys of maps, indices of lists.
func get(t *testing.T, v any, path ...any) any {
	t.Helper()
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				t.Fatalf("%v: not a mapping at %q", path, k)
			}
			if v, ok = m[k]; !ok {
				t.Fatalf("%v: no key %q", path, k)
			}
		case int:
			l, ok := v.([]any)
			if !ok || k >= len(l) {
				t.Fatalf("%v: no item %d", path, k)
			}
			v = l[k]
		}
	}
	return v
}

// qgasimCommand cuts the qgasim command out of a shell line ("go install
// ... && qgasim sweep ... || [ $? -eq 1 ]") and splits it into arguments,
// with the words replaced as a shell or CI engine would, the seeds cut
// down, and the files put in dir.
func qgasimCommand(t *testing.T, line, dir string, subst map[string]string) []string {
	t.Helper()
	i := strings.Index(line, "qgasim ")
	if i < 0 {
		t.Fatalf("no qgasim command in %q", line)
	}
	line = line[i+len("qgasim "):]
	if j := strings.Index(line, " ||"); j >= 0 {
		line = line[:j]
	}
	for k, v := range subst {
		line = strings.ReplaceAll(line, k, v)
	}
	var args []string
	words := strings.Fields(line)
	for k := 0; k < len(words); k++ {
		w := words[k]
		switch {
		case w == "--seeds":
			args = append(args, w, "1-48")
			k++
		case strings.HasSuffix(w, ".jsonl"):
			p := filepath.Join(dir, filepath.Base(w))
			if strings.Contains(p, "*") {
				matches, _ := filepath.Glob(p)
				args = append(args, matches...)
				continue
			}
			args = append(args, p)
		default:
			args = append(args, w)
		}
	}
	return args
}

// docRun runs the command line and returns its standard output.
func docRun(t *testing.T, args []string, want ...int) string {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(args, &out, &errOut)
	ok := len(want) == 0 && code == 0
	for _, w := range want {
		ok = ok || code == w
	}
	if !ok {
		t.Fatalf("qgasim %s: exit %d\n%s", strings.Join(args, " "), code, errOut.String())
	}
	return out.String()
}

// unsharded is the sweep of a shard's command without its shard: its
// table and its lines.
func unsharded(t *testing.T, shardArgs []string, dir string) (string, []byte) {
	t.Helper()
	var args []string
	for k := 0; k < len(shardArgs); k++ {
		switch shardArgs[k] {
		case "--shard", "--shard-count", "--out":
			k++
			continue
		}
		args = append(args, shardArgs[k])
	}
	out := filepath.Join(dir, "whole.jsonl")
	table := docRun(t, append(args, "--out", out), 0, 1)
	lines, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return table, lines
}

// TestDocsGitHubActionsMatrix: the workflow of docs/sweep.md is YAML with
// a matrix of 16 shards, each running a shard of the sweep and uploading
// its file, and a merge job after them; its commands, run for a small
// range of seeds, give the unsharded sweep's table and lines.
func TestDocsGitHubActionsMatrix(t *testing.T) {
	var wf map[string]any
	if err := yaml.Unmarshal([]byte(docBlock(t, "# .github/workflows/sweep.yml")), &wf); err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(get(t, wf, "jobs", "shard", "strategy", "matrix", "shard")); got != "[0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15]" {
		t.Fatalf("matrix %s", got)
	}
	if get(t, wf, "jobs", "shard", "strategy", "fail-fast") != false || get(t, wf, "jobs", "merge", "needs") != "shard" {
		t.Fatal("fail-fast or needs")
	}
	var sweepRun, upload, mergeRun, download string
	for _, st := range get(t, wf, "jobs", "shard", "steps").([]any) {
		m := st.(map[string]any)
		if r, ok := m["run"].(string); ok && strings.Contains(r, "qgasim sweep ") {
			sweepRun = r
		}
		if m["uses"] == "actions/upload-artifact@v4" {
			upload = fmt.Sprint(get(t, m, "with", "path"))
		}
	}
	for _, st := range get(t, wf, "jobs", "merge", "steps").([]any) {
		m := st.(map[string]any)
		if r, ok := m["run"].(string); ok && strings.Contains(r, "qgasim sweep merge") {
			mergeRun = r
		}
		if m["uses"] == "actions/download-artifact@v4" {
			download = fmt.Sprint(get(t, m, "with", "pattern"))
		}
	}
	if !strings.Contains(sweepRun, "--shard ${{ matrix.shard }}/16") || !strings.Contains(sweepRun, "--out "+upload) ||
		download != "shard-*" || mergeRun == "" {
		t.Fatalf("steps: sweep %q, upload %q, download %q, merge %q", sweepRun, upload, download, mergeRun)
	}
	dir := t.TempDir()
	var args []string
	for i := 0; i < 16; i++ {
		args = qgasimCommand(t, sweepRun, dir, map[string]string{"${{ matrix.shard }}": fmt.Sprint(i)})
		docRun(t, args, 0, 1)
	}
	merged := docRun(t, qgasimCommand(t, mergeRun, dir, nil), 0, 1)
	table, lines := unsharded(t, args, dir)
	if merged != table {
		t.Fatalf("the merged table differs from the unsharded one:\n%s\n---\n%s", merged, table)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "sweep.jsonl")); !bytes.Equal(got, lines) {
		t.Fatal("the merged lines differ from the unsharded ones")
	}
}

// TestDocsKubernetesIndexedJob: the manifest of docs/sweep.md is two Jobs,
// an Indexed one of 16 completions run 16 at a time whose pods run a shard
// each by JOB_COMPLETION_INDEX, and a merge; its commands, run for a small
// range of seeds with the index each pod gets, give the unsharded sweep.
func TestDocsKubernetesIndexedJob(t *testing.T) {
	dec := yaml.NewDecoder(strings.NewReader(docBlock(t, "# sweep-job.yaml")))
	var docs []map[string]any
	for {
		var d map[string]any
		err := dec.Decode(&d)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, d)
	}
	if len(docs) != 2 {
		t.Fatalf("%d documents, want the sweep Job and the merge Job", len(docs))
	}
	job, merge := docs[0], docs[1]
	for _, d := range docs {
		if d["apiVersion"] != "batch/v1" || d["kind"] != "Job" {
			t.Fatalf("%v %v", d["apiVersion"], d["kind"])
		}
	}
	if c, p, m := fmt.Sprint(get(t, job, "spec", "completions")), fmt.Sprint(get(t, job, "spec", "parallelism")),
		get(t, job, "spec", "completionMode"); c != "16" || p != "16" || m != "Indexed" {
		t.Fatalf("completions %s, parallelism %s, completionMode %v", c, p, m)
	}
	if get(t, job, "spec", "template", "spec", "restartPolicy") != "Never" {
		t.Fatal("restartPolicy")
	}
	sweepRun := fmt.Sprint(get(t, job, "spec", "template", "spec", "containers", 0, "args", 0))
	mergeRun := fmt.Sprint(get(t, merge, "spec", "template", "spec", "containers", 0, "args", 0))
	if !strings.Contains(sweepRun, "--shard-count 16") || !strings.Contains(sweepRun, "$JOB_COMPLETION_INDEX") ||
		!strings.Contains(mergeRun, "qgasim sweep merge /results/shard-*.jsonl") {
		t.Fatalf("commands %q, %q", sweepRun, mergeRun)
	}
	mount := func(d map[string]any) string {
		return fmt.Sprint(get(t, d, "spec", "template", "spec", "containers", 0, "volumeMounts", 0, "mountPath"))
	}
	if mount(job) != "/results" || mount(merge) != "/results" {
		t.Fatal("the Jobs do not share /results")
	}
	dir := t.TempDir()
	var args []string
	for i := 0; i < 16; i++ {
		t.Setenv("JOB_COMPLETION_INDEX", fmt.Sprint(i))
		args = qgasimCommand(t, sweepRun, dir, map[string]string{"$JOB_COMPLETION_INDEX": fmt.Sprint(i)})
		docRun(t, args, 0, 1)
	}
	t.Setenv("JOB_COMPLETION_INDEX", "")
	merged := docRun(t, qgasimCommand(t, mergeRun, dir, nil), 0, 1)
	table, lines := unsharded(t, args, dir)
	if merged != table {
		t.Fatalf("the merged table differs from the unsharded one:\n%s\n---\n%s", merged, table)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "sweep.jsonl")); !bytes.Equal(got, lines) {
		t.Fatal("the merged lines differ from the unsharded ones")
	}
}
