package bench

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Process is a `onewindow serve` child process on a loopback port.
type Process struct {
	URL string
	Cmd *exec.Cmd

	done    chan struct{}
	waitErr error
	mu      sync.Mutex
	stderr  strings.Builder
}

var servingLine = regexp.MustCompile(`serving on (http://\S+)`)

// StartServer runs `exe serve --db dsn` with extra flags on 127.0.0.1 with a
// free port and returns once it prints the address it serves on. The child
// gets its own process group, so that Kill takes nothing else down.
func StartServer(ctx context.Context, exe, dsn, dataDir string, extra ...string) (*Process, error) {
	args := append([]string{"serve", "--db", dsn, "--addr", "127.0.0.1:0", "--data", dataDir}, extra...)
	cmd := exec.Command(exe, args...)
	cmd.Env = append(os.Environ(), "ONEWINDOW_DB=")
	ownProcessGroup(cmd)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	p := &Process{Cmd: cmd, done: make(chan struct{})}
	cmd.Stderr = (*lockedWriter)(p)
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("bench: start %s serve: %w", exe, err)
	}
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if m := servingLine.FindStringSubmatch(sc.Text()); m != nil {
				select {
				case found <- m[1]:
				default:
				}
			}
		}
		io.Copy(io.Discard, stdout)
	}()
	go func() {
		p.waitErr = cmd.Wait()
		close(p.done)
	}()
	timeout := time.NewTimer(60 * time.Second)
	defer timeout.Stop()
	select {
	case u := <-found:
		p.URL = u
		return p, nil
	case <-p.done:
		return nil, fmt.Errorf("bench: the server exited before serving (%v): %s", p.waitErr, p.Stderr())
	case <-timeout.C:
		p.Kill()
		return nil, fmt.Errorf("bench: the server did not start within a minute: %s", p.Stderr())
	case <-ctx.Done():
		p.Kill()
		return nil, ctx.Err()
	}
}

type lockedWriter Process

func (w *lockedWriter) Write(b []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	// Keep the end of the log only: enough to explain a failure.
	if w.stderr.Len() > 64<<10 {
		rest := w.stderr.String()[32<<10:]
		w.stderr.Reset()
		w.stderr.WriteString(rest)
	}
	return w.stderr.Write(b)
}

// Stderr returns the end of what the server logged.
func (p *Process) Stderr() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.stderr.String()
}

// Pid is the server's process id.
func (p *Process) Pid() int { return p.Cmd.Process.Pid }

// Exited reports whether the process has ended.
func (p *Process) Exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// Stop asks the server to shut down (SIGTERM) and waits for it, killing it
// after timeout.
func (p *Process) Stop(timeout time.Duration) error {
	if p.Exited() {
		return nil
	}
	p.Cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
		return nil
	case <-time.After(timeout):
		p.Kill()
		return errors.New("bench: the server did not stop in time and was killed")
	}
}

// Kill ends the server at once with SIGKILL, as a power cut or an OOM kill
// would, and waits for it.
func (p *Process) Kill() {
	if p.Exited() {
		return
	}
	p.Cmd.Process.Kill()
	<-p.done
}

// Memory is a process's resident memory, in MiB.
type Memory struct {
	PeakMB    float64 `json:"peak_rss_mb"`    // VmHWM: the most it ever held
	CurrentMB float64 `json:"current_rss_mb"` // VmRSS
}

// MemoryOf reads /proc/PID/status (Linux); false when it cannot.
// CPUOf is the CPU time (user and system) process pid has used so far, read
// from /proc on Linux, in clock ticks of 1/100 s (the ticks /proc counts in
// on every Linux the bench runs on); false where that cannot be read.
func CPUOf(pid int) (time.Duration, bool) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, false
	}
	// The command name, in parentheses, may hold spaces: fields count from
	// after it. utime and stime are the 14th and 15th fields of the line.
	_, rest, found := strings.Cut(string(b), ") ")
	f := strings.Fields(rest)
	if !found || len(f) < 13 {
		return 0, false
	}
	utime, err1 := strconv.ParseInt(f[11], 10, 64)
	stime, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, false
	}
	return time.Duration(utime+stime) * 10 * time.Millisecond, true
}

func MemoryOf(pid int) (Memory, bool) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return Memory{}, false
	}
	var m Memory
	var ok bool
	for _, line := range strings.Split(string(b), "\n") {
		name, value, found := strings.Cut(line, ":")
		if !found {
			continue
		}
		f := strings.Fields(value)
		if len(f) < 1 {
			continue
		}
		kb, err := strconv.ParseFloat(f[0], 64)
		if err != nil {
			continue
		}
		switch name {
		case "VmHWM":
			m.PeakMB, ok = kb/1024, true
		case "VmRSS":
			m.CurrentMB = kb / 1024
		}
	}
	return m, ok
}
