package store_test

import (
	"context"
	"testing"

	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/store/storetest"
)

// BenchmarkGroupCommit writes small durable transactions from 16
// goroutines at once, as the server's handlers do: what group commit and
// the sync beside the writer cost and save, without HTTP.
func BenchmarkGroupCommit(b *testing.B) {
	db := storetest.SQLite(b)
	ctx := context.Background()
	b.SetParallelism(8) // 16 goroutines on 2 cores
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := db.InTx(ctx, func(tx *store.Tx) error {
				_, err := tx.ExecContext(ctx, insertOutbox, "bench", "r", `{"case":"HNZWFW-20261207-00001"}`, "now")
				return err
			}); err != nil {
				b.Fatal(err)
			}
		}
	})
}
