package auth

import (
	"context"
	"io"
)

// RunUserAddWithInput is RunUserAdd reading --password-stdin from stdin instead of os.Stdin.
func RunUserAddWithInput(ctx context.Context, s *Store, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return runUserAdd(ctx, s, args, stdin, stdout, stderr)
}
