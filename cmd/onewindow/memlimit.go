package main

import (
	"flag"
	"fmt"
	"os"
	"runtime/debug"
	"strconv"

	"github.com/onewindow/onewindow/auth"
)

// The soft limit on the Go runtime's memory that serve sets unless told
// otherwise is the server's own working set (serverWorkingSetMiB) plus what
// the password checks may hold at once (auth.HashMemory: 38 MiB with the
// two slots of a 2-CPU machine, so 72 MiB there). Go collects garbage when
// the heap has doubled since the last collection; a sign-in, holding an
// argon2id block of 19 MiB, doubles a heap of some 20 MB, and at a million
// cases on SQLite the process then held 163 MB at its peak where it used
// about 60. Under the limit the collector runs earlier instead (argon2id's
// blocks hold no pointers, so a collection costs little), and the runtime
// gives freed memory back to the system. The limit is soft: a server that
// truly needs more gets it (the collector then takes at most about half the
// CPU), so it never fails a request by itself. SQLite's page caches and the
// program's own code come on top of it.
const serverWorkingSetMiB = 34

func defaultMemoryLimitMiB() int {
	return serverWorkingSetMiB + int((auth.HashMemory()+1<<20-1)>>20)
}

// memoryLimitFlag is --memory-limit in MiB; 0 sets none.
type memoryLimitFlag int

func (m *memoryLimitFlag) String() string { return strconv.Itoa(int(*m)) }

func (m *memoryLimitFlag) Set(s string) error {
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || (n > 0 && n < minMemoryLimitMiB) || n > maxMemoryLimitMiB {
		return fmt.Errorf("want 0 (none) or MiB from %d to %d", minMemoryLimitMiB, maxMemoryLimitMiB)
	}
	*m = memoryLimitFlag(n)
	return nil
}

// Below the server's own working set a limit would only keep the collector
// running; above a terabyte it is surely a unit mistake.
const (
	minMemoryLimitMiB = 32
	maxMemoryLimitMiB = 1 << 20
)

// memoryLimitDefault is defaultMemoryLimitMiB, or 0 when GOMEMLIMIT is set:
// a limit given to Go directly stands.
func memoryLimitDefault() memoryLimitFlag {
	if os.Getenv("GOMEMLIMIT") != "" {
		return 0
	}
	return memoryLimitFlag(defaultMemoryLimitMiB())
}

func memoryLimitVar(fs *flag.FlagSet) *memoryLimitFlag {
	m := memoryLimitDefault()
	fs.Var(&m, "memory-limit", fmt.Sprintf("soft limit on the Go runtime's memory in `MiB` (env ONEWINDOW_MEMORY_LIMIT; default %d here: 34 and 19 per password\n"+
		"check that may run at once, or none when GOMEMLIMIT is set): the garbage collector runs earlier as the server nears it,\n"+
		"instead of letting sign-ins double the heap; SQLite's page caches come on top; 0: none", defaultMemoryLimitMiB()))
	return &m
}

// apply sets the limit, if any, and returns the limit now in force in bytes
// (math.MaxInt64: none).
func (m memoryLimitFlag) apply() int64 {
	if m > 0 {
		debug.SetMemoryLimit(int64(m) << 20)
	}
	return debug.SetMemoryLimit(-1)
}
