package audit

// SetVerifyBatch changes how many records Verify reads per query until the
// returned function restores it.
func SetVerifyBatch(n int) (restore func()) {
	old := verifyBatch
	verifyBatch = n
	return func() { verifyBatch = old }
}
