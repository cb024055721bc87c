package catalog_test

import (
	"maps"
	"slices"
	"strconv"
	"testing"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/catalog"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/store/storetest"
)

func TestDepartments(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := catalog.NewStore(db)
		mustPutDepartments(t, s, market(), social())
		got, err := s.Department(ctx, "HN-SCJG")
		if err != nil {
			t.Fatal(err)
		}
		if got != market() {
			t.Errorf("Department = %+v, want %+v", got, market())
		}
		renamed := market()
		renamed.Name = "辉南县市场监管局"
		mustPutDepartments(t, s, renamed)
		list, err := s.Departments(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if want := []catalog.Department{social(), renamed}; !slices.Equal(list, want) {
			t.Errorf("Departments = %+v, want %+v (code order, updated in place)", list, want)
		}
		_, err = s.Department(ctx, "NOPE")
		wantCode(t, err, apperr.NotFound)
		bad := market()
		bad.CreditCode = "91350100M000100Y44"
		if got := fieldsOf(t, s.PutDepartment(ctx, auth.System, bad)); !slices.Equal(got, []string{"credit_code"}) {
			t.Errorf("fields %v, want credit_code", got)
		}
	})
}

func TestDraftPublishLifecycle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := catalog.NewStore(db)
		mustPutDepartments(t, s, market())

		v1, err := s.SaveDraft(ctx, auth.System, item("X-1", "HN-SCJG", "食品经营许可"))
		if err != nil {
			t.Fatal(err)
		}
		if v1.Version != 1 || v1.Status != catalog.StatusDraft || v1.CreatedAt.IsZero() {
			t.Fatalf("first draft: version %d status %s created %v, want version 1 draft with a time", v1.Version, v1.Status, v1.CreatedAt)
		}
		_, err = s.Published(ctx, "X-1")
		wantCode(t, err, apperr.NotFound)

		// Saving again edits the open draft in place.
		edit := item("X-1", "HN-SCJG", "食品经营许可（新办）")
		v1b, err := s.SaveDraft(ctx, auth.System, edit)
		if err != nil {
			t.Fatal(err)
		}
		if v1b.Version != 1 || !v1b.CreatedAt.Equal(v1.CreatedAt) {
			t.Errorf("second save: version %d created %v, want version 1 created %v", v1b.Version, v1b.CreatedAt, v1.CreatedAt)
		}
		stored, err := s.Version(ctx, "X-1", 1)
		if err != nil {
			t.Fatal(err)
		}
		if stored.Name != "食品经营许可（新办）" {
			t.Errorf("stored draft name %q, want the edited one", stored.Name)
		}

		p1, err := s.Publish(ctx, auth.System, "X-1", 1)
		if err != nil {
			t.Fatal(err)
		}
		if p1.Status != catalog.StatusPublished || p1.PublishedAt == nil {
			t.Fatalf("published: %+v", p1)
		}
		got, err := s.Published(ctx, "X-1")
		if err != nil {
			t.Fatal(err)
		}
		if got.Version != 1 || !got.PublishedAt.Equal(*p1.PublishedAt) || len(got.Materials) != 1 {
			t.Errorf("Published = version %d at %v with %d materials, want version 1 at %v with 1", got.Version, got.PublishedAt, len(got.Materials), p1.PublishedAt)
		}

		// A new draft leaves the published version alone.
		next := item("X-1", "HN-SCJG", "食品经营许可")
		next.PromisedLimitDays = 3
		v2, err := s.SaveDraft(ctx, auth.System, next)
		if err != nil {
			t.Fatal(err)
		}
		if v2.Version != 2 {
			t.Fatalf("draft after publishing is version %d, want 2", v2.Version)
		}
		if got, _ := s.Published(ctx, "X-1"); got.Version != 1 {
			t.Errorf("published version %d while a draft is open, want 1", got.Version)
		}
		if _, err := s.Publish(ctx, auth.System, "X-1", 2); err != nil {
			t.Fatal(err)
		}
		got, err = s.Published(ctx, "X-1")
		if err != nil {
			t.Fatal(err)
		}
		if got.Version != 2 || got.PromisedLimitDays != 3 {
			t.Errorf("Published = version %d promised %d, want version 2 promised 3", got.Version, got.PromisedLimitDays)
		}
		old, err := s.Version(ctx, "X-1", 1)
		if err != nil {
			t.Fatal(err)
		}
		if old.Status != catalog.StatusRetired || old.Name != "食品经营许可（新办）" || old.PromisedLimitDays != 10 {
			t.Errorf("version 1 after version 2 was published: status %s name %s promised %d, want retired and unchanged",
				old.Status, old.Name, old.PromisedLimitDays)
		}
		versions, err := s.Versions(ctx, "X-1")
		if err != nil {
			t.Fatal(err)
		}
		if len(versions) != 2 || versions[0].Version != 2 || versions[1].Version != 1 {
			t.Errorf("Versions = %v, want versions 2 and 1", versions)
		}

		// The next draft after two published versions is version 3.
		if v3, err := s.SaveDraft(ctx, auth.System, next); err != nil || v3.Version != 3 {
			t.Errorf("third draft: version %d, %v; want 3", v3.Version, err)
		}

		for _, c := range []struct {
			name    string
			code    string
			version int
			want    apperr.Code
		}{
			{"published version", "X-1", 2, apperr.Conflict},
			{"retired version", "X-1", 1, apperr.Conflict},
			{"missing version", "X-1", 9, apperr.NotFound},
			{"missing item", "NOPE", 1, apperr.NotFound},
		} {
			t.Run(c.name, func(t *testing.T) {
				_, err := s.Publish(ctx, auth.System, c.code, c.version)
				wantCode(t, err, c.want)
			})
		}
		_, err = s.Version(ctx, "X-1", 9)
		wantCode(t, err, apperr.NotFound)
	})
}

func TestSaveDraftRefusesBadItems(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := catalog.NewStore(db)
		mustPutDepartments(t, s, market())
		_, err := s.SaveDraft(ctx, auth.System, item("X-1", "HN-NONE", "无部门事项"))
		if got := fieldsOf(t, err); !slices.Equal(got, []string{"department"}) {
			t.Errorf("fields %v, want department", got)
		}
		bad := item("X-2", "HN-SCJG", "")
		bad.Levels = []int{9}
		_, err = s.SaveDraft(ctx, auth.System, bad)
		if got := fieldsOf(t, err); !slices.Equal(got, []string{"levels", "name"}) {
			t.Errorf("fields %v, want levels and name", got)
		}
		if n := rowCount(t, db, "item_versions") + rowCount(t, db, "items"); n != 0 {
			t.Errorf("%d rows written by refused drafts, want 0", n)
		}
	})
}

// searchFixture stores a small catalogue whose names exercise search.
func searchFixture(t *testing.T, s *catalog.Store) {
	t.Helper()
	mustPutDepartments(t, s, market(), social(), catalog.Department{Code: "HN-EMPTY", Name: "没有事项的部门"})
	online := func(it catalog.Item) catalog.Item {
		it.Visits, it.OnlineDepth = 0, slices.Clone(catalog.AllDepths)
		return it
	}
	items := []catalog.Item{
		item("SC-001", "HN-SCJG", "营业执照设立登记"),
		online(item("SC-002", "HN-SCJG", "营业执照变更登记")),
		item("SC-003", "HN-SCJG", "食品经营许可"),
		online(item("RS-001", "HN-RSJ", "社会保险补贴申领")),
		item("RS-002", "HN-RSJ", "就业困难人员认定（100%补贴）"),
		item("RS-003", "HN-RSJ", "失业保险金abc申领"),
		item("RS-004", "HN-RSJ", "灵活就业a_c登记"),
	}
	items[0].NameEN = "Business LICENCE registration"
	items[1].NameEN = "business licence change"
	items[3].Levels = []int{4, 5, 6}
	items[3].LifeEvents = []string{"就业"}
	items[4].LifeEvents = []string{"就业", "生育"}
	items[5].LifeEvents = []string{"就业100"}
	if err := s.Load(ctx, auth.System, nil, items, true); err != nil {
		t.Fatal(err)
	}
	// One draft that must not show up in published searches.
	if _, err := s.SaveDraft(ctx, auth.System, item("SC-004", "HN-SCJG", "营业执照注销登记")); err != nil {
		t.Fatal(err)
	}
}

func TestSearch(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := catalog.NewStore(db)
		searchFixture(t, s)
		yes, no := true, false
		cases := []struct {
			name   string
			filter catalog.Filter
			want   []string
		}{
			{"everything published", catalog.Filter{}, []string{"RS-001", "RS-002", "RS-003", "RS-004", "SC-001", "SC-002", "SC-003"}},
			{"Chinese text", catalog.Filter{Query: "营业执照"}, []string{"SC-001", "SC-002"}},
			{"Chinese text in the middle", catalog.Filter{Query: "保险"}, []string{"RS-001", "RS-003"}},
			{"code in lower case", catalog.Filter{Query: "sc-003"}, []string{"SC-003"}},
			{"base code", catalog.Filter{Query: "B-RS-002"}, []string{"RS-002"}},
			{"English words in any case", catalog.Filter{Query: "LICENCE Business"}, []string{"SC-001", "SC-002"}},
			{"all words must match", catalog.Filter{Query: "business registration"}, []string{"SC-001"}},
			{"percent is literal", catalog.Filter{Query: "100%"}, []string{"RS-002"}},
			{"lone percent", catalog.Filter{Query: "%"}, []string{"RS-002"}},
			{"underscore is literal", catalog.Filter{Query: "a_c"}, []string{"RS-004"}},
			{"backslash is literal", catalog.Filter{Query: `\`}, nil},
			{"no match", catalog.Filter{Query: "护照"}, nil},
			{"department", catalog.Filter{Department: "HN-SCJG"}, []string{"SC-001", "SC-002", "SC-003"}},
			{"department and text", catalog.Filter{Department: "HN-RSJ", Query: "申领"}, []string{"RS-001", "RS-003"}},
			{"village level", catalog.Filter{Level: catalog.LevelVillage}, []string{"RS-001"}},
			{"county level", catalog.Filter{Level: catalog.LevelCounty, Department: "HN-SCJG"}, []string{"SC-001", "SC-002", "SC-003"}},
			{"fully online", catalog.Filter{FullyOnline: &yes}, []string{"RS-001", "SC-002"}},
			{"not fully online", catalog.Filter{FullyOnline: &no, Department: "HN-SCJG"}, []string{"SC-001", "SC-003"}},
			{"life event", catalog.Filter{LifeEvent: "就业"}, []string{"RS-001", "RS-002"}},
			{"life event is matched whole", catalog.Filter{LifeEvent: "生育"}, []string{"RS-002"}},
			{"drafts", catalog.Filter{Status: catalog.StatusDraft}, []string{"SC-004"}},
			{"retired", catalog.Filter{Status: catalog.StatusRetired}, nil},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				items, total, err := s.Search(ctx, c.filter)
				if err != nil {
					t.Fatal(err)
				}
				if got := codes(items); !slices.Equal(got, c.want) && !(len(got) == 0 && len(c.want) == 0) {
					t.Errorf("Search = %v, want %v", got, c.want)
				}
				if total != len(c.want) {
					t.Errorf("total %d, want %d", total, len(c.want))
				}
			})
		}
		for _, c := range []struct {
			name   string
			filter catalog.Filter
			field  string
		}{
			{"unknown status", catalog.Filter{Status: "deleted"}, "status"},
			{"level 7", catalog.Filter{Level: 7}, "level"},
			{"negative offset", catalog.Filter{Offset: -1}, "offset"},
		} {
			t.Run(c.name, func(t *testing.T) {
				_, _, err := s.Search(ctx, c.filter)
				if got := fieldsOf(t, err); !slices.Equal(got, []string{c.field}) {
					t.Errorf("fields %v, want %s", got, c.field)
				}
			})
		}
	})
}

func TestSearchPagination(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := catalog.NewStore(db)
		mustPutDepartments(t, s, market(), social())
		all := generated(45, "HN-SCJG", "HN-RSJ")
		if err := s.Load(ctx, auth.System, nil, all, true); err != nil {
			t.Fatal(err)
		}
		var seen []string
		for offset := 0; offset < 60; offset += 20 {
			page, total, err := s.Search(ctx, catalog.Filter{Offset: offset})
			if err != nil {
				t.Fatal(err)
			}
			if total != 45 {
				t.Errorf("offset %d: total %d, want 45", offset, total)
			}
			if want := min(20, 45-offset); len(page) != want {
				t.Errorf("offset %d: %d items, want %d (default page size 20)", offset, len(page), want)
			}
			seen = append(seen, codes(page)...)
		}
		if want := codes(all); !slices.Equal(seen, want) {
			t.Errorf("pages together = %v, want every item once in code order", seen)
		}
		page, total, err := s.Search(ctx, catalog.Filter{Limit: 10, Offset: 40})
		if err != nil || len(page) != 5 || total != 45 {
			t.Errorf("last page: %d items of %d, %v; want 5 of 45", len(page), total, err)
		}
		page, _, err = s.Search(ctx, catalog.Filter{Limit: 1000})
		if err != nil || len(page) != 45 {
			t.Errorf("large limit: %d items, %v; want all 45 (under the cap of %d)", len(page), err, catalog.MaxLimit)
		}
	})
}

func TestCounts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := catalog.NewStore(db)
		searchFixture(t, s)
		c, err := s.Counts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if c.Published != 7 || c.FullyOnline != 2 || c.Drafts != 1 {
			t.Errorf("counts published %d online %d drafts %d, want 7, 2, 1", c.Published, c.FullyOnline, c.Drafts)
		}
		if c.ByLevel[catalog.LevelCounty] != 7 || c.ByLevel[catalog.LevelTownship] != 1 || c.ByLevel[catalog.LevelVillage] != 1 || c.ByLevel[catalog.LevelCity] != 0 {
			t.Errorf("by level %v, want county 7, township 1, village 1, city 0", c.ByLevel)
		}
		// The same counts from the catalogue held in memory.
		p, err := s.PublishedCounts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if p.Published != c.Published || p.FullyOnline != c.FullyOnline || !maps.Equal(p.ByLevel, c.ByLevel) {
			t.Errorf("published counts %+v, want those of Counts %+v", p, c)
		}
		want := []catalog.DepartmentCount{
			{Code: "HN-EMPTY", Name: "没有事项的部门"},
			{Code: "HN-RSJ", Name: social().Name, Published: 4, FullyOnline: 1},
			{Code: "HN-SCJG", Name: market().Name, Published: 3, FullyOnline: 1},
		}
		if !slices.Equal(c.ByDepartment, want) {
			t.Errorf("by department %+v, want %+v", c.ByDepartment, want)
		}
	})
}

func TestItemsByCodes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := catalog.NewStore(db)
		searchFixture(t, s)
		got, err := s.ItemsByCodes(ctx, []string{"SC-001", "RS-002", "SC-004", "NOPE"})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || got["SC-001"].Name != "营业执照设立登记" || got["RS-002"].Version != 1 {
			t.Errorf("ItemsByCodes = %v, want the two published items (not the draft, not the unknown code)", got)
		}
	})
}

func TestSearchTermsAndReindex(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := catalog.NewStore(db)
		s.SearchTerms = nil // start without the default pinyin terms
		searchFixture(t, s)
		if items, _, _ := s.Search(ctx, catalog.Filter{Query: "yingye"}); len(items) != 0 {
			t.Fatalf("found %v before any extra terms exist", codes(items))
		}
		s.SearchTerms = func(it *catalog.Item) []string {
			if it.Code == "SC-001" {
				return []string{"YingYe ZhiZhao"}
			}
			return nil
		}
		n, err := s.Reindex(ctx)
		if err != nil || n != 8 {
			t.Fatalf("Reindex = %d, %v; want 8 versions", n, err)
		}
		items, _, err := s.Search(ctx, catalog.Filter{Query: "yingye"})
		if err != nil || !slices.Equal(codes(items), []string{"SC-001"}) {
			t.Errorf("search by extra term = %v, %v; want SC-001", codes(items), err)
		}
	})
}

func TestLoadVersions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := catalog.NewStore(db)
		all := generated(30, "HN-SCJG", "HN-RSJ")
		if err := s.Load(ctx, auth.System, []catalog.Department{market(), social()}, all, true); err != nil {
			t.Fatal(err)
		}
		c, err := s.Counts(ctx)
		if err != nil || c.Published != 30 {
			t.Fatalf("after load: %d published, %v; want 30", c.Published, err)
		}
		// The same catalogue again changes nothing.
		rep, err := s.Import(ctx, auth.System, &catalog.Catalogue{Items: all}, true)
		if err != nil {
			t.Fatal(err)
		}
		if rep != (catalog.ImportReport{ItemsUnchanged: 30}) {
			t.Errorf("identical import: %+v, want 30 unchanged", rep)
		}
		// One changed item gets version 2; version 1 is retired.
		changed := slices.Clone(all)
		changed[3].Name = "改过的名称"
		rep, err = s.Import(ctx, auth.System, &catalog.Catalogue{Items: changed}, true)
		if err != nil {
			t.Fatal(err)
		}
		if rep != (catalog.ImportReport{ItemsUpdated: 1, ItemsUnchanged: 29, Published: 1}) {
			t.Errorf("import with one change: %+v", rep)
		}
		got, err := s.Published(ctx, changed[3].Code)
		if err != nil || got.Version != 2 || got.Name != "改过的名称" {
			t.Errorf("changed item: version %d name %s, %v; want version 2 with the new name", got.Version, got.Name, err)
		}
		if old, err := s.Version(ctx, changed[3].Code, 1); err != nil || old.Status != catalog.StatusRetired {
			t.Errorf("version 1: %s, %v; want retired", old.Status, err)
		}
		// As drafts: a changed item gets a draft, then its draft is replaced.
		changed[3].Name = "草稿名称"
		for round, want := range []catalog.ImportReport{{ItemsUpdated: 1, ItemsUnchanged: 29}, {ItemsUnchanged: 30}} {
			rep, err = s.Import(ctx, auth.System, &catalog.Catalogue{Items: changed}, false)
			if err != nil {
				t.Fatal(err)
			}
			if rep != want {
				t.Errorf("draft import %d: %+v, want %+v", round, rep, want)
			}
		}
		changed[3].Name = "草稿名称二"
		if _, err := s.Import(ctx, auth.System, &catalog.Catalogue{Items: changed}, false); err != nil {
			t.Fatal(err)
		}
		versions, err := s.Versions(ctx, changed[3].Code)
		if err != nil {
			t.Fatal(err)
		}
		if len(versions) != 3 || versions[0].Status != catalog.StatusDraft || versions[0].Name != "草稿名称二" {
			t.Errorf("versions %d, newest %s %s; want 3 with the replaced draft on top", len(versions), versions[0].Status, versions[0].Name)
		}
		// SaveDraft continues after a loaded draft: it edits it in place.
		if d, err := s.SaveDraft(ctx, auth.System, changed[3]); err != nil || d.Version != 3 {
			t.Errorf("SaveDraft after import: version %d, %v; want 3", d.Version, err)
		}
	})
}

func TestLoadRefusesBadInput(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := catalog.NewStore(db)
		mustPutDepartments(t, s, market())
		items := generated(5, "HN-SCJG")
		items[1].Name = ""
		items[3].Code = items[0].Code
		items[4].DepartmentCode = "HN-NONE"
		err := s.Load(ctx, auth.System, nil, items, true)
		if got := fieldsOf(t, err); !slices.Equal(got, []string{"items[1].name", "items[3].code"}) {
			t.Errorf("fields %v, want items[1].name and items[3].code", got)
		}
		items = generated(5, "HN-SCJG")
		items[4].DepartmentCode = "HN-NONE"
		err = s.Load(ctx, auth.System, []catalog.Department{social()}, items, true)
		if got := fieldsOf(t, err); !slices.Equal(got, []string{"items[4].department"}) {
			t.Errorf("fields %v, want items[4].department", got)
		}
		if n := rowCount(t, db, "items"); n != 0 {
			t.Errorf("%d items written by a refused load, want 0", n)
		}
		if n := rowCount(t, db, "departments"); n != 1 {
			t.Errorf("%d departments after a refused load, want the 1 from before", n)
		}
	})
}

// BenchmarkLoad loads a demo-sized catalogue (1,700 items, up to five
// materials each) into an empty database in one transaction.
func BenchmarkLoad(b *testing.B) {
	items := generated(1700, "HN-SCJG", "HN-RSJ")
	depts := []catalog.Department{market(), social()}
	run := func(b *testing.B, open func(testing.TB) *store.DB) {
		for range b.N {
			b.StopTimer()
			s := catalog.NewStore(open(b))
			b.StartTimer()
			if err := s.Load(ctx, auth.System, depts, items, true); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.Run("sqlite", func(b *testing.B) { run(b, storetest.SQLite) })
	if storetest.PostgresURL() != "" {
		b.Run("postgres", func(b *testing.B) {
			run(b, func(tb testing.TB) *store.DB { db, _ := storetest.Postgres(tb); return db })
		})
	}
}

// Writers of one item take turns: concurrent saves end in one draft, and of
// concurrent publishes of that draft exactly one succeeds.
func TestConcurrentWriters(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := catalog.NewStore(db)
		mustPutDepartments(t, s, market())
		const writers = 6
		errs := make(chan error, writers)
		for i := range writers {
			go func() {
				it := item("X-1", "HN-SCJG", "并发保存"+strconv.Itoa(i))
				_, err := s.SaveDraft(ctx, auth.System, it)
				errs <- err
			}()
		}
		for range writers {
			if err := <-errs; err != nil {
				t.Errorf("concurrent SaveDraft: %v", err)
			}
		}
		versions, err := s.Versions(ctx, "X-1")
		if err != nil || len(versions) != 1 || versions[0].Version != 1 {
			t.Fatalf("after concurrent saves: %d versions, %v; want one draft", len(versions), err)
		}
		results := make(chan error, writers)
		for range writers {
			go func() {
				_, err := s.Publish(ctx, auth.System, "X-1", 1)
				results <- err
			}()
		}
		succeeded := 0
		for range writers {
			switch err := <-results; {
			case err == nil:
				succeeded++
			case apperr.CodeOf(err) != apperr.Conflict:
				t.Errorf("concurrent Publish: %v, want success or a conflict", err)
			}
		}
		if succeeded != 1 {
			t.Errorf("%d publishes succeeded, want exactly 1", succeeded)
		}
	})
}
