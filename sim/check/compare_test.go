package check_test

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/qgasim/qgasim/internal/scenariotest"
	"github.com/qgasim/qgasim/sim"
	"github.com/qgasim/qgasim/sim/check"
)

// A checker that lists only two requests and episodes counts what one that
// lists them all counts, and lists the same records, on every library
// scenario at many seeds with every strategy. (Until the commit that
// deleted it, this test also compared the fold with the oracle that read
// the whole trace after the run: the summaries were identical.)
func TestListingKeepsCounts(t *testing.T) {
	runs := scenariotest.EachLibraryRun(t, 25, func(r scenariotest.LibraryRun) {
		w, err := sim.New(r.Config)
		if err != nil {
			t.Fatal(err)
		}
		w.Run()
		evs := w.Trace()
		_, pending := w.ClientNextTimer()
		old := check.Analyze(evs, pending)
		small := check.NewChecker(check.Options{List: 2})
		for _, ev := range evs {
			small.Observe(&ev)
		}
		compare(t, r.String()+" list 2", old, small.Summary(pending))
	})
	t.Logf("%d runs compared", runs)
}

func compare(t *testing.T, where string, old, got check.Summary) {
	t.Helper()
	if old.Lost != got.Lost || old.Dropped != got.Dropped || !reflect.DeepEqual(old.Counts, got.Counts) ||
		old.MedianResync != got.MedianResync || old.MaxResync != got.MaxResync || len(old.Requests) != got.Total ||
		len(old.Resyncs) != got.Episodes {
		t.Fatalf("%s: counts differ:\nold %+v\nnew %+v", where, brief(old), brief(got))
	}
	for _, r := range got.Requests {
		if !reflect.DeepEqual(r, old.Requests[r.Req-1]) {
			t.Fatalf("%s: request %d differs:\nold %+v\nnew %+v", where, r.Req, old.Requests[r.Req-1], r)
		}
	}
}

func brief(s check.Summary) string {
	return fmt.Sprintf("total %d counts %v lost %d dropped %d resyncs %d median %d max %d", len(s.Requests), s.Counts, s.Lost, s.Dropped, len(s.Resyncs), s.MedianResync, s.MaxResync)
}
