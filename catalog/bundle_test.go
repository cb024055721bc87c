package catalog_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/catalog"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/store/storetest"
)

func members(deps map[string][]string, order ...string) []catalog.BundleMember {
	var out []catalog.BundleMember
	for _, c := range order {
		out = append(out, catalog.BundleMember{Item: c, DependsOn: deps[c]})
	}
	return out
}

func TestCycle(t *testing.T) {
	tests := []struct {
		name  string
		deps  map[string][]string
		order []string
		cycle bool
	}{
		{"chain", map[string][]string{"b": {"a"}, "c": {"b"}}, []string{"a", "b", "c"}, false},
		{"diamond", map[string][]string{"b": {"a"}, "c": {"a"}, "d": {"b", "c"}}, []string{"a", "b", "c", "d"}, false},
		{"two", map[string][]string{"a": {"b"}, "b": {"a"}}, []string{"a", "b"}, true},
		{"three", map[string][]string{"a": {"c"}, "b": {"a"}, "c": {"b"}, "d": {"a"}}, []string{"d", "a", "b", "c"}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := catalog.Cycle(members(tc.deps, tc.order...))
			if (c != nil) != tc.cycle {
				t.Fatalf("cycle %v, want cycle=%v", c, tc.cycle)
			}
			if c != nil {
				if c[0] != c[len(c)-1] {
					t.Fatalf("cycle %v does not close", c)
				}
				for i := 0; i+1 < len(c); i++ { // each step is a real dependency
					if !slices.Contains(tc.deps[c[i]], c[i+1]) {
						t.Fatalf("cycle %v: %s does not depend on %s", c, c[i], c[i+1])
					}
				}
			}
		})
	}
}

func TestReady(t *testing.T) {
	ms := members(map[string][]string{"b": {"a"}, "c": {"a"}, "d": {"b", "c"}}, "a", "b", "c", "d")
	names := func(ms []catalog.BundleMember) (out []string) {
		for _, m := range ms {
			out = append(out, m.Item)
		}
		return out
	}
	for _, tc := range []struct {
		approved, started, want []string
	}{
		{nil, nil, []string{"a"}},
		{nil, []string{"a"}, nil},
		{[]string{"a"}, []string{"a"}, []string{"b", "c"}},
		{[]string{"a", "b"}, []string{"a", "b", "c"}, nil},
		{[]string{"a", "b", "c"}, []string{"a", "b", "c"}, []string{"d"}},
	} {
		if got := names(catalog.Ready(ms, tc.approved, tc.started)); !slices.Equal(got, tc.want) {
			t.Errorf("approved %v started %v: ready %v, want %v", tc.approved, tc.started, got, tc.want)
		}
	}
}

func TestMergeMaterialsAndFields(t *testing.T) {
	a := catalog.Item{Code: "A", Materials: []catalog.Material{
		{Name: "居民身份证", Type: "id_card", Requirement: catalog.Optional, Originals: 1},
		{Name: "户口簿", Type: "household", Requirement: catalog.Waivable, Copies: 1}},
		Fields: []catalog.FormField{{Key: "name", Label: "姓名", Type: "text"}, {Key: "phone", Label: "电话", Type: "phone"}}}
	b := catalog.Item{Code: "B", Materials: []catalog.Material{
		{Name: "居民身份证", Type: "id_card", Requirement: catalog.Required, Copies: 2},
		{Name: "照片", Type: "photo", Requirement: catalog.Optional}},
		Fields: []catalog.FormField{{Key: "name", Label: "姓名", Type: "text", Required: true}}}
	ms := catalog.MergeMaterials([]catalog.Item{a, b})
	if len(ms) != 3 {
		t.Fatalf("%d merged materials, want 3 (one 居民身份证)", len(ms))
	}
	id := ms[0]
	if id.Type != "id_card" || id.Requirement != catalog.Required || id.Originals != 1 || id.Copies != 2 || !slices.Equal(id.Items, []string{"A", "B"}) {
		t.Fatalf("merged 居民身份证 %+v: want required, 1 original, 2 copies, for A and B", id)
	}
	fs := catalog.MergeFields([]catalog.Item{a, b})
	if len(fs) != 2 || !fs[0].Required || !slices.Equal(fs[0].Items, []string{"A", "B"}) {
		t.Fatalf("merged form %+v: name asked once, required", fs)
	}
}

func TestBundleStore(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := loadRich(t, db)
		ok := catalog.Bundle{Code: "YJS-1", Name: "测试一件事", LeadDepartment: "HN-SCJG", PromisedLimitDays: 3, OnRefusal: "stop",
			Members: []catalog.BundleMember{{Item: "220523-SCJG-007"}, {Item: "RS-001", DependsOn: []string{"220523-SCJG-007"}}}}
		saved, err := s.SaveBundleDraft(ctx, auth.System, ok)
		if err != nil {
			t.Fatal(err)
		}
		if saved.Members[0].Version != 1 || saved.Status != catalog.StatusDraft {
			t.Fatalf("saved %+v: members pinned to the published version, status draft", saved)
		}
		if _, err := s.PublishedBundle(ctx, "YJS-1"); apperr.CodeOf(err) != apperr.NotFound {
			t.Fatalf("an unpublished bundle is visible: %v", err)
		}
		if _, err := s.PublishBundle(ctx, auth.System, "YJS-1", saved.Version); err != nil {
			t.Fatal(err)
		}
		if _, err := s.PublishBundle(ctx, auth.System, "YJS-1", saved.Version); apperr.CodeOf(err) != apperr.Conflict {
			t.Fatalf("publishing twice: %v", err)
		}
		// A member that is only a draft, an unknown member, a missing lead department.
		bad := ok
		bad.Code, bad.LeadDepartment = "YJS-2", "NOPE"
		bad.Members = []catalog.BundleMember{{Item: "DRAFT-ONLY", Version: 1}, {Item: "GHOST"}}
		err = apperr.As(func() error { _, err := s.SaveBundleDraft(ctx, auth.System, bad); return err }())
		var fields []string
		for _, f := range err.(*apperr.Error).Fields {
			fields = append(fields, f.Field+":"+f.Code)
		}
		got := strings.Join(fields, " ")
		for _, want := range []string{"lead_department:not_found", "members[0].version:unpublished", "members[1].item:not_found"} {
			if !strings.Contains(got, want) {
				t.Errorf("errors %q lack %q", got, want)
			}
		}
	})
}
