package cases_test

import (
	"encoding/json"
	"testing"

	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/cases"
)

// MaskForm hides identity card and mobile numbers among a form's answers at
// any depth, a mistyped identity number too, and leaves any other form
// byte for byte as it was.
func TestMaskForm(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{`{"phone":"13904350002","id":"220106196803120420","name":"于秀兰"}`, `{"id":"2201**********0420","name":"于秀兰","phone":"139****0002"}`},
		{`{"holder":{"ids":["22010619680312042X"," 220106196803120429 "]},"note":"<b>"}`, `{"holder":{"ids":["2201**********042X","2201**********0429"]},"note":"<b>"}`},
		{`{"amount": 1.50, "note" : "窗口 <受理>"}`, `{"amount": 1.50, "note" : "窗口 <受理>"}`},
		{`{"account":"6222020200112233445","landline":"0435-8888000"}`, `{"account":"6222020200112233445","landline":"0435-8888000"}`},
		{`"13904350002"`, `"139****0002"`},
		{``, ``},
		{`{not json`, ``},
	} {
		if got := string(cases.MaskForm(json.RawMessage(tt.in))); got != tt.want {
			t.Errorf("MaskForm(%s) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

// Staff see a case's applicant and form masked; an applicant, whose cases
// are only their own, sees them whole; masking twice changes nothing.
func TestCaseShownTo(t *testing.T) {
	c := cases.Case{Applicant: cases.Applicant{Kind: "person", Name: "于秀兰", IDNumber: "220106196803120420", Phone: "13904310001"},
		Form: json.RawMessage(`{"contact":"13904310001"}`)}
	for _, role := range []auth.Role{auth.RoleFrontDesk, auth.RoleReviewer, auth.RoleIssuer, auth.RoleHallManager, auth.RoleAdmin, ""} {
		got := c.ShownTo(auth.User{Role: role})
		if got.Applicant.IDNumber != "2201**********0420" || got.Applicant.Phone != "139****0001" || string(got.Form) != `{"contact":"139****0001"}` ||
			got.Applicant.Name != "于秀兰" {
			t.Errorf("as %q: %+v, form %s", role, got.Applicant, got.Form)
		}
		if again := got.ShownTo(auth.User{Role: role}); again.Applicant != got.Applicant || string(again.Form) != string(got.Form) {
			t.Errorf("as %q, masking twice: %+v", role, again.Applicant)
		}
	}
	if got := c.ShownTo(auth.User{Role: auth.RoleApplicant}); got.Applicant != c.Applicant || string(got.Form) != string(c.Form) {
		t.Errorf("as the applicant: %+v, form %s", got.Applicant, got.Form)
	}
	if c.Applicant.IDNumber != "220106196803120420" || string(c.Form) != `{"contact":"13904310001"}` {
		t.Errorf("ShownTo changed the case it was given: %+v", c)
	}
}
