package audit_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/onewindow/onewindow/audit"
	"github.com/onewindow/onewindow/store/storetest"
)

// BenchmarkConcurrentAppends appends from 8 writers at once on PostgreSQL,
// all on one chain (as every audited write did before the chains) and on a
// chain per writer (as writers at different service points do now):
//
//	ONEWINDOW_TEST_POSTGRES=… go test -run '^$' -bench ConcurrentAppends ./audit/
func BenchmarkConcurrentAppends(b *testing.B) {
	if storetest.PostgresURL() == "" {
		b.Skip("needs ONEWINDOW_TEST_POSTGRES")
	}
	for _, perWriter := range []bool{false, true} {
		name := "one chain"
		if perWriter {
			name = "a chain per writer"
		}
		b.Run(name, func(b *testing.B) {
			db, _ := storetest.Postgres(b)
			var writers atomic.Int64
			b.SetParallelism(4) // 4 × GOMAXPROCS (2 here) = 8 writers
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				chain := "P"
				if perWriter {
					chain = fmt.Sprintf("P%d", writers.Add(1))
				}
				for pb.Next() {
					if _, err := audit.AppendNow(context.Background(), db, audit.Record{Chain: chain, Action: "case.accept", Outcome: audit.OK}); err != nil {
						b.Error(err)
						return
					}
				}
			})
		})
	}
}
