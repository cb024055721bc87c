package auth

// PeakPasswordChecks returns the most password checks that ran at once
// since ResetPasswordCheckPeak.
func PeakPasswordChecks() int64 { return currentGate().peak.Load() }

// ResetPasswordCheckPeak starts counting the peak again.
func ResetPasswordCheckPeak() { currentGate().peak.Store(0) }
