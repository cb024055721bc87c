package store

import "context"

// QueuedWrites is how many write transactions wait for the group commit
// loop (0 on PostgreSQL).
func (db *DB) QueuedWrites() int {
	if db.group == nil {
		return 0
	}
	return len(db.group.requests)
}

// GroupCommitStats reports how many write batches and transactions ran
// through group commit (both zero on PostgreSQL).
func (db *DB) GroupCommitStats() (batches, transactions int64) {
	if db.group == nil {
		return 0, 0
	}
	return db.group.batches.Load(), db.group.transactions.Load()
}

// SetWALSync replaces how group commit syncs the write-ahead log; call it
// before the first write.
func (db *DB) SetWALSync(f func() error) { db.group.sync = f }

// WALPath is the write-ahead log syncWAL syncs.
func (db *DB) WALPath() string { return db.wal }

// MigrateTo brings the schema up to version upTo only, as a database made by
// an older release would be.
func (db *DB) MigrateTo(ctx context.Context, upTo int64) error { return db.migrate(ctx, upTo) }
