//go:build !unix

package bench

import "os/exec"

// ownProcessGroup does nothing where there are no Unix process groups
// (Windows): the server is started as an ordinary child process. There,
// Stop cannot send SIGTERM and ends the server with Kill after its timeout.
func ownProcessGroup(cmd *exec.Cmd) {}
