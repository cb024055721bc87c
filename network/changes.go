package network

import "sync/atomic"

// changes counts the writes of service points and of the departments their
// services cover made by this process: counted when the write is made (in
// its transaction) and, by the Store's own methods, again once it has
// ended. A reader that keeps a copy of the points compares it to know that
// this process wrote since; writes of other processes it cannot see, so
// such copies are also kept a short time only (figures keeps one a second).
var changes atomic.Uint64

// Changes returns the number of writes of points this process has made.
func Changes() uint64 { return changes.Load() }

func changed() { changes.Add(1) }
