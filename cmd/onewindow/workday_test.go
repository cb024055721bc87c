package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The workday command on the embedded calendar: due dates, verdicts with
// their reasons, warnings past the years with data, and bad input.
func TestWorkdayCommand(t *testing.T) {
	// No database here: the embedded years only.
	t.Setenv("ONEWINDOW_DB", filepath.Join(t.TempDir(), "none.db"))
	tests := []struct {
		name       string
		args       []string
		code       int
		stdout     string // exact
		stderrHas  string // "" means stderr must be empty
		stdoutHas  string
		skipStdout bool
	}{
		{name: "add across 国庆", args: []string{"add", "2026-09-30", "3"}, stdout: "2026-10-10\n"},
		{name: "add onto a make-up day", args: []string{"add", "2026-02-13", "1"}, stdout: "2026-02-14\n"},
		{name: "add zero on a holiday", args: []string{"add", "2025-10-01", "0"}, stdout: "2025-10-09\n"},
		{name: "add into 2027 warns", args: []string{"add", "2026-12-31", "1"}, stdout: "2027-01-01\n",
			stderrHas: "years with data: 2024, 2025, 2026"},
		{name: "is holiday", args: []string{"is", "2026-02-16"}, stdout: "holiday: 春节\n"},
		{name: "is weekend", args: []string{"is", "2026-03-07"}, stdout: "holiday: weekend\n"},
		{name: "is make-up day", args: []string{"is", "2026-02-14"}, stdout: "workday: make-up working day (调休上班, 春节)\n"},
		{name: "is working day", args: []string{"is", "2026-02-13"}, stdout: "workday: Friday\n"},
		{name: "is in 2027 warns", args: []string{"is", "2027-10-01"}, stdout: "workday: Friday\n", stderrHas: "warning:"},
		{name: "between", args: []string{"between", "2026-02-13", "2026-02-28"}, stdout: "6\n"},
		{name: "flags after the arguments", args: []string{"add", "2026-09-30", "3", "--db", filepath.Join(os.TempDir(), "none.db")}, stdout: "2026-10-10\n"},
		{name: "help", args: []string{"--help"}, stdoutHas: "add DATE N", skipStdout: true},
		{name: "help word", args: []string{"help"}, stdoutHas: "is DATE", skipStdout: true},
		{name: "subcommand help", args: []string{"add", "-h"}, stdoutHas: "Usage: onewindow workday", skipStdout: true},
		{name: "no arguments", args: nil, code: 2, stderrHas: "Usage:"},
		{name: "unknown command", args: []string{"next"}, code: 2, stderrHas: `unknown command "next"`},
		{name: "bad date", args: []string{"add", "2026-02-30", "1"}, code: 2, stderrHas: `bad date "2026-02-30"`},
		{name: "bad date in is", args: []string{"is", "tomorrow"}, code: 2, stderrHas: `bad date "tomorrow"`},
		{name: "negative N", args: []string{"add", "2026-02-13", "-1"}, code: 2, stderrHas: `not "-1"`},
		{name: "N not a number", args: []string{"add", "2026-02-13", "three"}, code: 2, stderrHas: `not "three"`},
		{name: "missing N", args: []string{"add", "2026-02-13"}, code: 2, stderrHas: "add wants DATE and N"},
		{name: "missing date", args: []string{"is"}, code: 2, stderrHas: "is wants one DATE"},
		{name: "between one date", args: []string{"between", "2026-02-13"}, code: 2, stderrHas: "between wants two dates"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runCmd(t, append([]string{"workday"}, tt.args...)...)
			stdout, stderr := bytes.NewBufferString(out), bytes.NewBufferString(errOut)
			if code != tt.code {
				t.Errorf("exit code %d, want %d (stderr %q)", code, tt.code, stderr.String())
			}
			if !tt.skipStdout && stdout.String() != tt.stdout {
				t.Errorf("stdout %q, want %q", stdout.String(), tt.stdout)
			}
			if !strings.Contains(stdout.String(), tt.stdoutHas) {
				t.Errorf("stdout %q does not contain %q", stdout.String(), tt.stdoutHas)
			}
			if tt.stderrHas == "" && stderr.Len() > 0 {
				t.Errorf("stderr %q, want nothing", stderr.String())
			}
			if !strings.Contains(stderr.String(), tt.stderrHas) {
				t.Errorf("stderr %q does not contain %q", stderr.String(), tt.stderrHas)
			}
		})
	}
}
