package main

import (
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
)

// The profiler is served on loopback only, and refused anywhere else.
func TestServeDebug(t *testing.T) {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	for _, bad := range []string{"0.0.0.0:6060", ":6060", "192.0.2.1:6060", "example.org:6060", "nonsense"} {
		if _, stop, err := serveDebug(bad, log); err == nil {
			stop()
			t.Errorf("--debug-addr %s accepted", bad)
		}
	}
	addr, stop, err := serveDebug("127.0.0.1:0", log)
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	res, err := http.Get("http://" + addr + "/debug/pprof/")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(string(b), "goroutine") {
		t.Errorf("profiler index: %d %.100s", res.StatusCode, b)
	}
}
