package bench_test

import (
	"os"
	"runtime"
	"syscall"
	"testing"
	"time"

	"github.com/onewindow/onewindow/bench"
)

// CPUOf reads the CPU time the kernel counts for a process: for this test's
// own process it agrees with getrusage, after enough work that a wrong
// field of /proc/PID/stat could not pass for it.
func TestCPUOfAgreesWithRusage(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("reads /proc")
	}
	before, ok := bench.CPUOf(os.Getpid())
	if !ok {
		t.Fatal("CPU time not read")
	}
	sum := 0
	for i := 0; ; i++ {
		sum += i % 7
		if i%1_000_000 == 0 {
			if now, _ := bench.CPUOf(os.Getpid()); now-before >= 300*time.Millisecond {
				break
			}
		}
	}
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		t.Fatal(err)
	}
	after, _ := bench.CPUOf(os.Getpid())
	kernel := time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	// /proc counts in ticks of 10 ms, getrusage more finely; the two reads
	// are a moment apart.
	if diff := kernel - after; diff < -50*time.Millisecond || diff > 50*time.Millisecond {
		t.Fatalf("CPUOf says %v, getrusage %v (work done: %d)", after, kernel, sum)
	}
	if _, ok := bench.CPUOf(1 << 30); ok {
		t.Error("a process that does not exist has a CPU time")
	}
}
