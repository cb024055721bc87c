package licence_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/onewindow/onewindow/licence"
)

func TestCanonicalSortsKeysWithoutWhitespace(t *testing.T) {
	got, err := licence.Canonical(map[string]any{"b": 1, "a": map[string]any{"z": "<&>", "y": []int{2, 1}}})
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"a":{"y":[2,1],"z":"<&>"},"b":1}`; string(got) != want {
		t.Fatalf("Canonical = %s, want %s", got, want)
	}
	// A struct comes out with its members sorted, whatever their order in Go.
	got, _ = licence.Canonical(struct {
		Z string `json:"z"`
		A int    `json:"a"`
	}{"x", 1})
	if string(got) != `{"a":1,"z":"x"}` {
		t.Fatalf("struct: %s", got)
	}
}

func content(dept string) licence.Content {
	return licence.Content{TypeCode: "SCJG-YYZZ", TypeName: "营业执照", Number: "SCJG-YYZZ-HNZWFW-20261124-00001", Version: 1,
		Holder: licence.Holder{Kind: "enterprise", Name: "辉南示范商贸有限公司", IDNumber: "91220523MA0Y00000X"},
		Issuer: licence.Issuer{Code: dept, Name: "辉南县市场监督管理局"}, IssuedOn: "2026-11-24", ValidFrom: "2026-11-24", ValidTo: "2031-11-23",
		VerifyCode: "ABCDEFGHJKMN"}
}

func TestSignVerifyAcrossRotation(t *testing.T) {
	keys := licence.KeyDir{Path: t.TempDir()}
	first, err := keys.New("HN-SCJG")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := keys.New("HN-SCJG"); err == nil {
		t.Fatal("a second keys new for one department should be refused")
	}
	k1, _ := keys.Current("HN-SCJG")
	oldDoc, err := licence.Sign(content("HN-SCJG"), k1)
	if err != nil {
		t.Fatal(err)
	}
	var d licence.Document
	if err := json.Unmarshal(oldDoc, &d); err != nil || d.Alg != "Ed25519" || d.KeyID != first.ID {
		t.Fatalf("document names alg %q kid %q (want Ed25519, %s): %v", d.Alg, d.KeyID, first.ID, err)
	}
	canon, _ := licence.Canonical(json.RawMessage(oldDoc))
	if !bytes.Equal(canon, oldDoc) {
		t.Fatalf("the document is not canonical:\n%s\n%s", oldDoc, canon)
	}
	second, err := keys.Rotate("HN-SCJG")
	if err != nil || second.ID == first.ID {
		t.Fatalf("rotate: %+v %v", second, err)
	}
	k2, _ := keys.Current("HN-SCJG")
	if k2.ID != second.ID {
		t.Fatalf("current key after rotation is %s, want %s", k2.ID, second.ID)
	}
	newDoc, _ := licence.Sign(content("HN-SCJG"), k2)
	set, err := keys.Public()
	if err != nil || len(set.Keys) != 2 {
		t.Fatalf("public keys after rotation: %+v %v", set, err)
	}
	for name, doc := range map[string][]byte{"old key": oldDoc, "new key": newDoc} {
		if _, r := licence.Check(doc, set, "2026-12-01"); r != "" {
			t.Errorf("%s: %s", name, r)
		}
	}
	// Only the old key published: what the new one signed is unknown.
	old := licence.KeySet{Keys: []licence.PublicKey{set.Keys[0]}}
	if set.Keys[0].ID != first.ID {
		old.Keys[0] = set.Keys[1]
	}
	if _, r := licence.Check(newDoc, old, "2026-12-01"); r != licence.UnknownKey {
		t.Errorf("new document against old keys: %q, want unknown_key", r)
	}
}

func TestCheckFailsWithReason(t *testing.T) {
	keys := licence.KeyDir{Path: t.TempDir()}
	keys.New("HN-SCJG")
	keys.New("HN-RSJ")
	k, _ := keys.Current("HN-SCJG")
	other, _ := keys.Current("HN-RSJ")
	set, _ := keys.Public()
	doc, _ := licence.Sign(content("HN-SCJG"), k)
	changed := bytes.Replace(doc, []byte("辉南示范"), []byte("辉南伪造"), 1)
	if bytes.Equal(changed, doc) {
		t.Fatal("the test did not change the document")
	}
	flipped := bytes.Clone(doc)
	i := bytes.Index(flipped, []byte(`"valid_to":"2031`)) + len(`"valid_to":"203`)
	flipped[i] = '9'
	wrongDept, _ := licence.Sign(content("HN-SCJG"), other) // signed by a key of another department
	unknown := licence.KeyDir{Path: t.TempDir()}
	unknown.New("HN-SCJG")
	uk, _ := unknown.Current("HN-SCJG")
	byUnknown, _ := licence.Sign(content("HN-SCJG"), uk)
	cases := []struct {
		name  string
		doc   []byte
		today string
		want  licence.Reason
	}{
		{"as signed", doc, "2026-12-01", ""},
		{"last valid day", doc, "2031-11-23", ""},
		{"a changed name", changed, "2026-12-01", licence.BadSignature},
		{"a changed byte of the validity", flipped, "2026-12-01", licence.BadSignature},
		{"an unknown key", byUnknown, "2026-12-01", licence.UnknownKey},
		{"a key of another department", wrongDept, "2026-12-01", licence.UnknownKey},
		{"expired", doc, "2031-11-24", licence.Expired},
		{"before its first day", doc, "2026-11-23", licence.NotYetValid},
		{"not a licence", []byte(`{"hello":"world"}`), "2026-12-01", licence.Malformed},
		{"cut short", doc[:len(doc)/2], "2026-12-01", licence.Malformed},
		{"unknown algorithm", bytes.Replace(doc, []byte(`"alg":"Ed25519"`), []byte(`"alg":"SM2"`), 1), "2026-12-01", licence.UnknownAlg},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, r := licence.Check(c.doc, set, c.today)
			if r != c.want {
				t.Fatalf("Check = %q, want %q", r, c.want)
			}
			if r != "" && (licence.ReasonNames[r][0] == "" || licence.ReasonNames[r][1] == "") {
				t.Fatalf("reason %q has no message in both languages", r)
			}
		})
	}
}

func TestValidTo(t *testing.T) {
	for _, c := range []struct {
		from  string
		years int
		want  string
	}{{"2026-11-24", 5, "2031-11-23"}, {"2024-02-29", 1, "2025-02-28"}, {"2026-01-01", 0, ""}} {
		if got := licence.ValidTo(c.from, c.years); got != c.want {
			t.Errorf("ValidTo(%s, %d) = %q, want %q", c.from, c.years, got, c.want)
		}
	}
}

func TestCheckType(t *testing.T) {
	ok := licence.Type{Code: " SCJG-YYZZ ", Name: "营业执照", NameEN: "Business licence", DepartmentCode: "HN-SCJG", HolderKind: "enterprise", Items: []string{"a", "a", " "}}
	if err := licence.CheckType(&ok); err != nil || ok.Code != "SCJG-YYZZ" || len(ok.Items) != 1 {
		t.Fatalf("CheckType: %+v %v", ok, err)
	}
	bad := licence.Type{Code: "营业执照", HolderKind: "robot", ValidityYears: -1}
	if err := licence.CheckType(&bad); err == nil {
		t.Fatal("a bad type passed")
	}
}
