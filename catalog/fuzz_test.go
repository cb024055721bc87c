package catalog_test

import (
	"strings"
	"testing"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/catalog"
	"github.com/onewindow/onewindow/store/storetest"
)

// checkParsed fails unless a parser either refused the input with a
// user-facing error or returned only records that pass validation.
func checkParsed(t *testing.T, c *catalog.Catalogue, err error) {
	t.Helper()
	if err != nil {
		if code := apperr.CodeOf(err); code != apperr.Invalid && code != apperr.BadRequest {
			t.Fatalf("error of class %s, want invalid or bad_request: %v", code, err)
		}
		if len(apperr.As(err).Fields) == 0 {
			t.Fatalf("error without a field to point at: %v", err)
		}
		return
	}
	for i := range c.Items {
		if err := c.Items[i].Validate(); err != nil {
			t.Fatalf("accepted item %d that does not validate: %v", i, err)
		}
	}
	for i := range c.Departments {
		if err := c.Departments[i].Validate(); err != nil {
			t.Fatalf("accepted department %d that does not validate: %v", i, err)
		}
	}
}

func FuzzParseCSV(f *testing.F) {
	s := catalog.NewStore(storetest.SQLite(f))
	depts, items := richCatalogue()
	if err := s.Load(ctx, auth.System, depts, items[:5], true); err != nil {
		f.Fatal(err)
	}
	var i, m, d strings.Builder
	if err := s.ExportCSV(ctx, &i, &m, &d); err != nil {
		f.Fatal(err)
	}
	f.Add(i.String(), m.String(), d.String())
	f.Add(goodItemsCSV, "item_code,name,type,requirement\nA-1,身份证,id_card,required\n", "code,name\nHN-SCJG,市场局\n")
	f.Add("code\n\"", "", "")
	f.Fuzz(func(t *testing.T, items, materials, departments string) {
		c, err := catalog.ParseCSV(strings.NewReader(items), strings.NewReader(materials), strings.NewReader(departments))
		checkParsed(t, c, err)
	})
}

func FuzzParseJSON(f *testing.F) {
	s := catalog.NewStore(storetest.SQLite(f))
	depts, items := richCatalogue()
	if err := s.Load(ctx, auth.System, depts, items[:5], true); err != nil {
		f.Fatal(err)
	}
	var b strings.Builder
	if err := s.Export(ctx, &b, "json"); err != nil {
		f.Fatal(err)
	}
	f.Add(b.String())
	f.Add(`{"items": [{"code": "A", "levels": [4.5]}]}`)
	f.Add(`{"departments": null, "items": [{"materials": [{}]}]}`)
	f.Add(`[]`)
	f.Fuzz(func(t *testing.T, text string) {
		c, err := catalog.ParseJSON(strings.NewReader(text))
		checkParsed(t, c, err)
	})
}
