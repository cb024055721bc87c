package main

import (
	"flag"
	"io"
	"math"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/onewindow/onewindow/auth"
)

// serve sets a soft memory limit by default, takes another in MiB, sets none
// on 0, leaves a GOMEMLIMIT given to Go alone, and refuses nonsense naming
// the flag.
func TestMemoryLimitFlag(t *testing.T) {
	before := debug.SetMemoryLimit(-1)
	t.Cleanup(func() { debug.SetMemoryLimit(before) })
	parse := func(args ...string) (*memoryLimitFlag, error) {
		fs := flag.NewFlagSet("serve", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		m := memoryLimitVar(fs)
		return m, fs.Parse(args)
	}

	t.Setenv("GOMEMLIMIT", "")
	debug.SetMemoryLimit(math.MaxInt64)
	m, err := parse()
	// 34 MiB and 19 MiB per password check that may run at once.
	want := 34 + 19*max(1, auth.HashSlots)
	if err != nil || int(*m) != want {
		t.Fatalf("default: %v, %v; want %d", *m, err, want)
	}
	if got := m.apply(); got != int64(want)<<20 {
		t.Errorf("default limit in force: %d bytes, want %d", got, want<<20)
	}

	// The default follows the slots.
	slots := auth.HashSlots
	auth.HashSlots = 8
	if m, _ := parse(); int(*m) != 34+8*19 {
		t.Errorf("default with 8 password-check slots: %d MiB, want %d", *m, 34+8*19)
	}
	auth.HashSlots = slots

	m, err = parse("--memory-limit", "200")
	if err != nil {
		t.Fatal(err)
	}
	if got := m.apply(); got != 200<<20 {
		t.Errorf("--memory-limit 200: %d bytes in force, want %d", got, 200<<20)
	}

	debug.SetMemoryLimit(math.MaxInt64)
	m, err = parse("--memory-limit", "0")
	if err != nil {
		t.Fatal(err)
	}
	if got := m.apply(); got != math.MaxInt64 {
		t.Errorf("--memory-limit 0: %d bytes in force, want none", got)
	}

	t.Setenv("GOMEMLIMIT", "300MiB")
	debug.SetMemoryLimit(300 << 20) // as the runtime does at start
	if m, _ = parse(); *m != 0 {
		t.Errorf("with GOMEMLIMIT the default is %d, want 0 (Go's limit stands)", *m)
	}
	if got := m.apply(); got != 300<<20 {
		t.Errorf("with GOMEMLIMIT: %d bytes in force, want GOMEMLIMIT's %d", got, 300<<20)
	}

	for _, bad := range []string{"-1", "10", "lots", "96MiB", "2000000"} {
		if _, err := parse("--memory-limit", bad); err == nil || !strings.Contains(err.Error(), "memory-limit") {
			t.Errorf("--memory-limit %s: %v, want an error naming the flag", bad, err)
		}
	}
}
