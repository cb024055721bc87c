package catalog_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/catalog"
	"github.com/onewindow/onewindow/store"
)

var ctx = context.Background()

func market() catalog.Department {
	return catalog.Department{Code: "HN-SCJG", Name: "辉南县市场监督管理局", NameEN: "Huinan County Market Regulation Bureau",
		CreditCode: "91350100M000100Y43", Kind: "market"}
}

func social() catalog.Department {
	return catalog.Department{Code: "HN-RSJ", Name: "辉南县人力资源和社会保障局", NameEN: "Huinan County Human Resources and Social Security Bureau", Kind: "social"}
}

// item returns a valid item with the given code, department and name.
func item(code, dept, name string) catalog.Item {
	return catalog.Item{
		Code: code, BaseCode: "B-" + code, Name: name, Type: "01", DepartmentCode: dept,
		Levels: []int{4}, LegalLimitDays: 20, PromisedLimitDays: 10, Visits: 1,
		Materials: []catalog.Material{{Name: "居民身份证", Type: "id_card", Requirement: catalog.Required, Originals: 1}},
	}
}

// generated returns n varied valid items spread over the given departments,
// the shape of the demo catalogue.
func generated(n int, depts ...string) []catalog.Item {
	out := make([]catalog.Item, n)
	for i := range out {
		it := item(fmt.Sprintf("GEN-%05d", i), depts[i%len(depts)], fmt.Sprintf("生成事项%d号", i))
		it.NameEN = fmt.Sprintf("generated item %d", i)
		it.Levels = []int{4, 4 + i%3}[:1+min(1, i%3)]
		if i%4 == 0 {
			it.Visits, it.OnlineDepth = 0, slices.Clone(catalog.AllDepths)
		}
		it.LifeEvents = []string{[]string{"生育", "就业", "开办企业"}[i%3]}
		it.Fees = []catalog.Fee{{Name: "工本费", AmountFen: int64(i % 5 * 100), Basis: "省物价局文件"}}
		it.Conditions = "申请人应当具备相应条件。\n第二行。"
		for k := range 1 + i%5 {
			it.Materials = append(it.Materials, catalog.Material{Name: fmt.Sprintf("材料%d", k), Type: fmt.Sprintf("m_%d", k),
				Requirement: []string{catalog.Required, catalog.Optional, catalog.Waivable}[k%3], Copies: k, Form: catalog.FormPaper})
		}
		it.Materials[0].Type = "id_card"
		out[i] = it
	}
	return out
}

// wantCode fails the test unless err is an apperr of the given code.
func wantCode(t *testing.T, err error, code apperr.Code) *apperr.Error {
	t.Helper()
	var ae *apperr.Error
	if !errors.As(err, &ae) || ae.Code != code {
		t.Fatalf("error %v, want an apperr %s", err, code)
	}
	return ae
}

// fieldsOf returns the field names of an Invalid error.
func fieldsOf(t *testing.T, err error) []string {
	t.Helper()
	ae := wantCode(t, err, apperr.Invalid)
	var out []string
	for _, f := range ae.Fields {
		out = append(out, f.Field)
	}
	return out
}

// rowCount counts the rows of a table.
func rowCount(t *testing.T, db *store.DB, table string) int {
	t.Helper()
	var n int
	if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+table).Scan(&n); err != nil {
		t.Fatalf("count %s: %v", table, err)
	}
	return n
}

func mustPutDepartments(t *testing.T, s *catalog.Store, depts ...catalog.Department) {
	t.Helper()
	for _, d := range depts {
		if err := s.PutDepartment(ctx, auth.System, d); err != nil {
			t.Fatalf("PutDepartment(%s): %v", d.Code, err)
		}
	}
}

func codes(items []catalog.Item) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it.Code
	}
	return out
}
