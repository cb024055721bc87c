package main

import (
	"bytes"
	"testing"
)

func TestSubcommandAnswersHelpAndBadUsage(t *testing.T) {
	const help = "usage: x one|two"
	for _, tc := range []struct {
		args           []string
		code           int
		ok             bool
		stdout, stderr string
	}{
		{[]string{"two", "--db", "d"}, 0, true, "", ""},
		{[]string{"--help"}, 0, false, help + "\n", ""},
		{[]string{"help"}, 0, false, help + "\n", ""},
		{[]string{"three"}, 2, false, "", help + "\n"},
		{nil, 2, false, "", help + "\n"},
	} {
		var out, errOut bytes.Buffer
		code, ok := subcommand(tc.args, help, &out, &errOut, "one", "two")
		if code != tc.code || ok != tc.ok || out.String() != tc.stdout || errOut.String() != tc.stderr {
			t.Errorf("subcommand(%q) = %d, %v, stdout %q, stderr %q; want %d, %v, %q, %q",
				tc.args, code, ok, out.String(), errOut.String(), tc.code, tc.ok, tc.stdout, tc.stderr)
		}
	}
}
