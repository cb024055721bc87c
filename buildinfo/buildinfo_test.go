package buildinfo

import (
	"encoding/json"
	"regexp"
	"runtime/debug"
	"strings"
	"testing"
)

// A release build from a checkout: every field is read from the build
// information the go command stamps, the time in UTC.
func TestFromAStampedBuild(t *testing.T) {
	bi := &debug.BuildInfo{
		GoVersion: "go1.26.8",
		Main:      debug.Module{Path: "github.com/onewindow/onewindow", Version: "v0.3.1-0.20261207080000-0123456789ab+dirty"},
		Settings: []debug.BuildSetting{
			{Key: "-trimpath", Value: "true"},
			{Key: "vcs", Value: "git"},
			{Key: "vcs.revision", Value: "0123456789abcdef0123456789abcdef01234567"},
			{Key: "vcs.time", Value: "2026-12-07T16:00:00+08:00"},
			{Key: "vcs.modified", Value: "true"},
		},
	}
	got := From("v0.3.0", bi)
	want := Info{Version: "v0.3.0", Module: "v0.3.1-0.20261207080000-0123456789ab+dirty",
		Revision: "0123456789abcdef0123456789abcdef01234567", Time: "2026-12-07T08:00:00Z", Modified: true, Go: "go1.26.8"}
	if got != want {
		t.Fatalf("From = %+v\nwant %+v", got, want)
	}
	if s := got.String(); s != "v0.3.0 (revision 0123456789ab, 2026-12-07T08:00:00Z, modified)" {
		t.Errorf("String = %q", s)
	}
	report := got.Report("onewindow")
	for _, line := range []string{
		"onewindow v0.3.0\n",
		"module:   v0.3.1-0.20261207080000-0123456789ab+dirty\n",
		"revision: 0123456789abcdef0123456789abcdef01234567\n",
		"time:     2026-12-07T08:00:00Z\n",
		"modified: true\n",
		"go:       go1.26.8\n",
	} {
		if !strings.Contains(report, line) {
			t.Errorf("report lacks %q:\n%s", line, report)
		}
	}
	if !strings.HasPrefix(report, "onewindow v0.3.0\n") {
		t.Errorf("report does not start with the name and version:\n%s", report)
	}
	b, err := json.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	var fields map[string]any
	json.Unmarshal(b, &fields)
	for _, k := range []string{"version", "module_version", "revision", "time", "modified", "go"} {
		if _, ok := fields[k]; !ok {
			t.Errorf("JSON %s lacks %q", b, k)
		}
	}
}

// A clean tree says so; a build without version control information (a
// test binary, a build outside a checkout) and one without any build
// information still answer, with "dev" as the version when none was given.
func TestFromPartialBuilds(t *testing.T) {
	clean := From("v1.0.0", &debug.BuildInfo{Main: debug.Module{Version: "v1.0.0"},
		Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "abc"}, {Key: "vcs.modified", Value: "false"}}})
	if clean.Modified || clean.String() != "v1.0.0 (revision abc)" {
		t.Errorf("clean build: %+v, %q", clean, clean.String())
	}
	bare := From("", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: "github.com/onewindow/onewindow", Version: "(devel)"}})
	if bare.Version != "dev" || bare.Revision != "" || bare.String() != "dev" {
		t.Errorf("build without VCS: %+v, %q", bare, bare.String())
	}
	if r := bare.Report("onewindow"); !strings.Contains(r, "revision: unknown") || strings.Contains(r, "modified:") {
		t.Errorf("report of a build without VCS:\n%s", r)
	}
	if none := From(" ", nil); none != (Info{Version: "dev"}) {
		t.Errorf("no build information: %+v", none)
	}
}

// The running test binary has build information (no revision: go test
// stamps none), and the report of it has the shape of the version command's.
func TestRead(t *testing.T) {
	info := Read("v9.9.9")
	if info.Version != "v9.9.9" || !strings.HasPrefix(info.Go, "go1.") {
		t.Fatalf("Read = %+v", info)
	}
	shape := regexp.MustCompile(`^onewindow v9\.9\.9\nmodule: +\S.*\nrevision: .+\n(time: .+\nmodified: (true|false)\n)?go: +go1\.\S+\n$`)
	if r := info.Report("onewindow"); !shape.MatchString(r) {
		t.Errorf("report:\n%s", r)
	}
}
