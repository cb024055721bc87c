package network

// Changes returns the number of committed writes of service points, and of
// the departments their services cover, this process has made. A reader
// that keeps a copy of them compares it to know that this process wrote
// since; writes of other processes it cannot see that way, so such copies
// are also kept a short time only (the points' own cache compares the
// database's generation row; figures keeps its copy a second).
func Changes() uint64 { return pointEpoch.Load() }
