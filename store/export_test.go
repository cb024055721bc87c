package store

// QueuedWrites is how many write transactions wait for the group commit
// loop (0 on PostgreSQL).
func (db *DB) QueuedWrites() int {
	if db.group == nil {
		return 0
	}
	return len(db.group.requests)
}
