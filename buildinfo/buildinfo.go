// Package buildinfo tells what a binary knows about its own build: the
// release version given at build time, the module version and the version
// control revision the go command stamped into it, and the Go version.
package buildinfo

import (
	"fmt"
	"runtime/debug"
	"strings"
	"time"
)

// Info describes one build. A field is empty when the binary does not know
// it (a build outside a checkout, or a test binary, carries no revision).
type Info struct {
	// Version is the release version, set with
	// -ldflags "-X main.version=v0.3.0"; "dev" without one.
	Version string `json:"version"`
	// Module is the main module's version as the go command stamped it:
	// "(devel)", or a pseudo-version derived from the revision.
	Module string `json:"module_version,omitempty"`
	// Revision is the commit the binary was built from; Time its commit
	// time (RFC 3339, UTC).
	Revision string `json:"revision,omitempty"`
	Time     string `json:"time,omitempty"`
	// Modified reports uncommitted changes in the tree it was built from;
	// left out of JSON when false.
	Modified bool `json:"modified,omitempty"`
	// Go is the Go version it was built with.
	Go string `json:"go,omitempty"`
}

// Read describes the running binary, with release as its release version.
func Read(release string) Info {
	bi, _ := debug.ReadBuildInfo()
	return From(release, bi)
}

// From describes the build bi (nil: nothing known) with release as its
// release version.
func From(release string, bi *debug.BuildInfo) Info {
	info := Info{Version: strings.TrimSpace(release)}
	if info.Version == "" {
		info.Version = "dev"
	}
	if bi == nil {
		return info
	}
	info.Module = bi.Main.Version
	info.Go = bi.GoVersion
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			info.Revision = s.Value
		case "vcs.time":
			if t, err := time.Parse(time.RFC3339Nano, s.Value); err == nil {
				info.Time = t.UTC().Format(time.RFC3339)
			} else {
				info.Time = s.Value
			}
		case "vcs.modified":
			info.Modified = s.Value == "true"
		}
	}
	return info
}

// ShortRevision is the revision's first 12 characters, as Go's
// pseudo-versions show it.
func (i Info) ShortRevision() string {
	if len(i.Revision) > 12 {
		return i.Revision[:12]
	}
	return i.Revision
}

// String is one line: "v0.3.0 (revision 0123456789ab, 2026-12-07T08:00:00Z,
// modified)"; the parenthesis is left out when no revision is known.
func (i Info) String() string {
	if i.Revision == "" {
		return i.Version
	}
	parts := []string{"revision " + i.ShortRevision()}
	if i.Time != "" {
		parts = append(parts, i.Time)
	}
	if i.Modified {
		parts = append(parts, "modified")
	}
	return i.Version + " (" + strings.Join(parts, ", ") + ")"
}

// Report is the text of `onewindow version`: the name and release version
// on the first line, then one field a line.
func (i Info) Report(name string) string {
	unknown := func(s string) string {
		if s == "" {
			return "unknown"
		}
		return s
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s\n", name, i.Version)
	fmt.Fprintf(&b, "module:   %s\n", unknown(i.Module))
	if i.Revision == "" {
		b.WriteString("revision: unknown (built without version control information)\n")
	} else {
		fmt.Fprintf(&b, "revision: %s\n", i.Revision)
		fmt.Fprintf(&b, "time:     %s\n", unknown(i.Time))
		fmt.Fprintf(&b, "modified: %t\n", i.Modified)
	}
	fmt.Fprintf(&b, "go:       %s\n", unknown(i.Go))
	return b.String()
}
