package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/onewindow/onewindow/licence"
)

// Keys are made and rotated in a folder; the published key file verifies
// offline what every key signed, and a changed byte, an unknown key and an
// expired licence each fail with their reason.
func TestKeysAndOfflineVerification(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "keys")
	if code, _, errOut := runCmd(t, "keys", "new", "--licence-keys", dir, "--department", "HN-SCJG"); code != 0 {
		t.Fatalf("keys new: %d %s", code, errOut)
	}
	if code, _, errOut := runCmd(t, "keys", "new", "--licence-keys", dir, "--department", "HN-SCJG"); code != 1 || !strings.Contains(errOut, "keys rotate") {
		t.Fatalf("a second keys new: %d %s", code, errOut)
	}
	if code, _, errOut := runCmd(t, "keys", "rotate", "--licence-keys", dir); code != 2 || !strings.Contains(errOut, "--department") {
		t.Fatalf("rotate without a department: %d %s", code, errOut)
	}
	keys := licence.KeyDir{Path: dir}
	old, err := keys.Current("HN-SCJG")
	if err != nil {
		t.Fatal(err)
	}
	content := licence.Content{TypeCode: "SCJG-SPJY", TypeName: "食品经营许可证", Number: "SCJG-SPJY-1", Version: 1,
		Holder: licence.Holder{Kind: "enterprise", Name: "辉南示范商贸有限公司", IDNumber: "91220523MA0Y00000X"},
		Issuer: licence.Issuer{Code: "HN-SCJG", Name: "辉南县市场监督管理局"}, IssuedOn: "2026-01-05", ValidFrom: "2026-01-05", ValidTo: "2031-01-04", VerifyCode: "ABC"}
	oldDoc, err := licence.Sign(content, old)
	if err != nil {
		t.Fatal(err)
	}
	if code, out, _ := runCmd(t, "keys", "rotate", "--licence-keys", dir, "--department", "HN-SCJG"); code != 0 || strings.Contains(out, old.ID) {
		t.Fatalf("rotate: %d %s", code, out)
	}
	code, list, _ := runCmd(t, "keys", "list", "--licence-keys", dir)
	if code != 0 || strings.Count(list, "HN-SCJG-") != 2 || strings.Count(list, "(current)") != 1 {
		t.Fatalf("keys list:\n%s", list)
	}
	code, published, _ := runCmd(t, "keys", "list", "--licence-keys", dir, "--json")
	if code != 0 || strings.Contains(published, "Private") {
		t.Fatalf("keys list --json: %d\n%s", code, published)
	}
	tmp := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(tmp, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	keysFile := write("keys.json", published)
	other := licence.KeyDir{Path: t.TempDir()}
	other.New("HN-SCJG")
	stranger, _ := other.Current("HN-SCJG")
	strangerDoc, _ := licence.Sign(content, stranger)
	cases := []struct {
		name, doc, today string
		code             int
		says             string
	}{
		{"signed with the key before rotation", string(oldDoc), "2026-06-01", 0, "有效 / valid"},
		{"a changed byte", strings.Replace(string(oldDoc), "SCJG-SPJY-1", "SCJG-SPJY-2", 1), "2026-06-01", 1, "the licence was changed"},
		{"an unknown key", string(strangerDoc), "2026-06-01", 1, "not a published key"},
		{"expired", string(oldDoc), "2031-01-05", 1, "has expired"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, out, errOut := runCmd(t, "licence", "verify", write("doc.json", c.doc), "--keys", keysFile, "--today", c.today)
			if code != c.code || !strings.Contains(out, c.says) {
				t.Fatalf("licence verify: %d\n%s%s", code, out, errOut)
			}
		})
	}
	if code, _, _ := runCmd(t, "licence", "verify", "--keys", keysFile); code != 2 {
		t.Fatalf("verify without a file: %d", code)
	}
}
