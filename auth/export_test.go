package auth

import (
	"context"
	"io"
)

// RunUserAddWithInput is RunUserAdd reading --password-stdin from stdin instead of os.Stdin.
func RunUserAddWithInput(ctx context.Context, s *Store, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return runUserAdd(ctx, s, args, stdin, stdout, stderr)
}

// PeakPasswordChecks returns the most password checks that ran at once
// since ResetPasswordCheckPeak.
func PeakPasswordChecks() int64 { return currentGate().peak.Load() }

// ResetPasswordCheckPeak starts counting the peak again.
func ResetPasswordCheckPeak() { currentGate().peak.Store(0) }
