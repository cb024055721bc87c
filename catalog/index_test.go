package catalog_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/catalog"
	"github.com/onewindow/onewindow/demo"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/store/storetest"
)

// demoWithHistory loads the demo catalogue, publishes a renamed second
// version of a few items (their first versions become retired) and leaves a
// renamed draft of a few others: a search of the published catalogue must
// find neither the retired nor the draft names. It returns the store and the
// demo's items.
func demoWithHistory(t testing.TB, db *store.DB) (*catalog.Store, []catalog.Item) {
	t.Helper()
	depts, items := demo.Catalogue()
	s := catalog.NewStore(db)
	if err := s.Load(ctx, auth.System, depts, items, true); err != nil {
		t.Fatal(err)
	}
	for i, it := range items[:80] {
		if i%4 == 3 {
			continue
		}
		it.Name += "（新版）"
		switch {
		case i == 0:
			it.Name = "营业执照" // ranks first for 营业执照, yyzz and yingyezhizhao
		case i%2 == 0 || i%5 == 0:
			it.Name = "营业执照" + it.Name // ranks second
		}
		saved, err := s.SaveDraft(ctx, auth.System, it)
		if err != nil {
			t.Fatal(err)
		}
		if i%3 != 2 {
			if _, err := s.Publish(ctx, auth.System, saved.Code, saved.Version); err != nil {
				t.Fatal(err)
			}
		}
	}
	return s, items
}

// The in-memory search gives the SQL search's pages, totals and errors, item
// for item, on the demo catalogue.
func TestIndexAgreesWithSQL(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s, items := demoWithHistory(t, db)
		yes, no := true, false
		dept, otherDept := items[0].DepartmentCode, items[len(items)-1].DepartmentCode
		event := items[0].LifeEvents[0]
		filters := []catalog.Filter{
			{},
			{Limit: catalog.MaxLimit},
			{Limit: 1000},
			{Offset: 1600, Limit: 100},
			{Offset: 5000},
			{Department: dept},
			{Department: otherDept, Limit: catalog.MaxLimit},
			{Department: "NO-SUCH"},
			{Level: catalog.LevelCounty, Offset: 40},
			{Level: catalog.LevelVillage, Limit: catalog.MaxLimit},
			{Level: catalog.LevelNational},
			{LifeEvent: event, Limit: catalog.MaxLimit},
			{LifeEvent: "生育", FullyOnline: &yes},
			{LifeEvent: "生"},
			{FullyOnline: &yes, Limit: catalog.MaxLimit},
			{FullyOnline: &no, Offset: 1000},
			{Query: "营业执照"},
			{Query: "营业执照", Limit: catalog.MaxLimit},
			{Query: "yyzz", Limit: catalog.MaxLimit},
			{Query: "YYZZ", Offset: 5, Limit: 7},
			{Query: "yingyezhizhao"},
			{Query: "ying ye zhi zhao"},
			{Query: "  yyzz  变更 "},
			{Query: "医保异地", Limit: catalog.MaxLimit},
			{Query: "ybyd"},
			{Query: "sb", Limit: catalog.MaxLimit},
			{Query: "sb", Offset: 20, Limit: 20},
			{Query: "sb", Offset: 10_000},
			{Query: "证", Limit: catalog.MaxLimit, Offset: 100},
			{Query: "登记"},
			{Query: "licence"},
			{Query: "Enterprise establishment"},
			{Query: items[5].Code},
			{Query: items[5].Code[:12]},
			{Query: items[7].BaseCode},
			{Query: items[1].Name},          // a name published anew: only the new version
			{Query: items[1].Name + "（新版）"}, // and that one
			{Query: items[3].Name},          // left alone
			{Query: "营业执照" + items[2].Name}, // a draft: not in the published catalogue
			{Query: "就业登记", Level: catalog.LevelTownship},
			{Query: "jydj", Department: items[len(items)/2].DepartmentCode, FullyOnline: &no},
			{Query: "许可", LifeEvent: "开办企业", Level: catalog.LevelCounty, Limit: 50},
			{Query: "zhang"},
			{Query: "chang"},
			{Query: "%"},
			{Query: "_"},
			{Query: `\`},
			{Query: "（"},
			{Query: "qqqqq"},
			{Query: "a b c d e f g h"},
			// errors
			{Query: "a b c d e f g h i"},
			{Level: 7},
			{Offset: -1},
			{Status: "archived"},
		}
		for _, f := range filters {
			got, gotTotal, gotErr := s.Search(ctx, f)
			want, wantTotal, wantErr := catalog.SearchSQL(ctx, s, f)
			if !sameError(gotErr, wantErr) {
				t.Errorf("%+v: error %v, SQL's %v", f, gotErr, wantErr)
				continue
			}
			if gotTotal != wantTotal || !reflect.DeepEqual(got, want) {
				t.Errorf("%+v: %d of %d %v, SQL gives %d of %d %v", f, len(got), gotTotal, firstCodes(got), len(want), wantTotal, firstCodes(want))
			}
		}
		// The fixture gives the ranked queries more than a page, and every rank.
		page, total, _ := s.Search(ctx, catalog.Filter{Query: "yyzz", Limit: catalog.MaxLimit})
		// (Items whose alias is 营业执照 rank with the exact name.)
		prefixed := slices.ContainsFunc(page[1:], func(it catalog.Item) bool {
			return it.Name != "营业执照" && strings.HasPrefix(it.Name, "营业执照")
		})
		if total <= catalog.DefaultLimit || page[0].Name != "营业执照" || !prefixed ||
			strings.HasPrefix(page[len(page)-1].Name, "营业执照") {
			t.Errorf("yyzz finds %d items, first %q and %q, last %q; want more than a page, an exact name, a prefix and neither",
				total, page[0].Name, page[1].Name, page[len(page)-1].Name)
		}
	})
}

func sameError(a, b error) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return a.Error() == b.Error()
}

func firstCodes(items []catalog.Item) []string {
	return codes(items)[:min(5, len(items))]
}

// The index serves only the published catalogue; other statuses are searched
// in the database and find what the index leaves out.
func TestSearchOtherStatuses(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s, items := demoWithHistory(t, db)
		retired, _, err := s.Search(ctx, catalog.Filter{Query: items[0].Name, Status: catalog.StatusRetired, Limit: catalog.MaxLimit})
		if err != nil || !slices.Contains(codes(retired), items[0].Code) {
			t.Errorf("retired %q = %v, %v; want %s among them", items[0].Name, codes(retired), err, items[0].Code)
		}
		for _, it := range retired {
			if it.Status != catalog.StatusRetired || it.Version != 1 {
				t.Errorf("%s version %d is %s, want a retired version 1", it.Code, it.Version, it.Status)
			}
		}
		drafts, total, err := s.Search(ctx, catalog.Filter{Query: "（新版）", Status: catalog.StatusDraft, Limit: catalog.MaxLimit})
		if err != nil || total != 20 {
			t.Errorf("drafts = %d %v, %v; want 20", total, codes(drafts), err)
		}
	})
}

// Every Store of the process over one database sees a write of any of them
// at once, whatever its clock says about the next generation check.
func TestIndexFollowsWritesInProcess(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		writer := catalog.NewStore(db)
		pinyinFixture(t, writer)
		reader := catalog.NewStore(db)
		frozen := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
		catalog.SetClock(reader, func() time.Time { return frozen })
		wantName(t, reader, "SC-002", 1, "营业执照变更登记")

		it, _ := reader.Published(ctx, "SC-002")
		it.Name = "营业执照变更备案"
		draft, err := writer.SaveDraft(ctx, auth.System, it)
		if err != nil {
			t.Fatal(err)
		}
		wantName(t, reader, "SC-002", 1, "营业执照变更登记") // a draft changes nothing published
		if _, err := writer.Publish(ctx, auth.System, "SC-002", draft.Version); err != nil {
			t.Fatal(err)
		}
		wantName(t, reader, "SC-002", 2, "营业执照变更备案")
		if got := searchAll(t, reader, "yyzzbgdj"); len(got) != 0 {
			t.Errorf("yyzzbgdj finds %v after the rename, want nothing", got)
		}
		if got := searchAll(t, reader, "yyzzbgba"); !slices.Equal(got, []string{"SC-002"}) {
			t.Errorf("yyzzbgba finds %v, want SC-002", got)
		}

		// A load that publishes is seen at once too.
		if err := writer.Load(ctx, auth.System, nil, []catalog.Item{item("SC-020", "HN-SCJG", "营业执照副本申领")}, true); err != nil {
			t.Fatal(err)
		}
		wantName(t, reader, "SC-020", 1, "营业执照副本申领")
		if _, total, _ := reader.Search(ctx, catalog.Filter{Query: "yyzz"}); total != 6 {
			t.Errorf("yyzz finds %d items after the load, want 6", total)
		}
		got, err := reader.ItemsByCodes(ctx, []string{"SC-002", "SC-020", "NO-SUCH"})
		if err != nil || len(got) != 2 || got["SC-002"].Version != 2 || got["SC-020"].Name != "营业执照副本申领" {
			t.Errorf("ItemsByCodes = %v, %v", got, err)
		}
	})
}

// wantName fails the test unless the store's published version of code is
// the given version with the given name.
func wantName(t *testing.T, s *catalog.Store, code string, version int, name string) {
	t.Helper()
	it, err := s.Published(ctx, code)
	if err != nil || it.Version != version || it.Name != name {
		t.Fatalf("Published(%s) = version %d %q, %v; want version %d %q", code, it.Version, it.Name, err, version, name)
	}
}

// Versions of every status: the published one and retired ones from memory,
// drafts always as last saved; each reports its status as it is now.
func TestVersionsByStatus(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := catalog.NewStore(db)
		pinyinFixture(t, s)
		for round, name := range []string{"营业执照补领", "营业执照换发"} {
			it, _ := s.Published(ctx, "SC-001")
			it.Name = name
			draft, err := s.SaveDraft(ctx, auth.System, it)
			if err != nil {
				t.Fatal(err)
			}
			// Read every version before publishing, so that what is remembered
			// of them must follow the publish.
			for v := 1; v <= round+2; v++ {
				if _, err := s.Version(ctx, "SC-001", v); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := s.Publish(ctx, auth.System, "SC-001", draft.Version); err != nil {
				t.Fatal(err)
			}
		}
		for _, want := range []struct {
			version int
			status  string
			name    string
		}{{1, catalog.StatusRetired, "营业执照补领换发"}, {2, catalog.StatusRetired, "营业执照补领"}, {3, catalog.StatusPublished, "营业执照换发"}} {
			for range 2 { // once from the database, once remembered
				it, err := s.Version(ctx, "SC-001", want.version)
				if err != nil || it.Status != want.status || it.Name != want.name {
					t.Errorf("version %d = %s %q, %v; want %s %q", want.version, it.Status, it.Name, err, want.status, want.name)
				}
			}
		}
		it, _ := s.Published(ctx, "SC-001")
		for _, name := range []string{"营业执照补办", "营业执照补办换发"} {
			it.Name = name
			if _, err := s.SaveDraft(ctx, auth.System, it); err != nil {
				t.Fatal(err)
			}
			if d, err := s.Version(ctx, "SC-001", 4); err != nil || d.Status != catalog.StatusDraft || d.Name != name {
				t.Errorf("draft = %s %q, %v; want the draft %q", d.Status, d.Name, err, name)
			}
		}
		for _, v := range []struct {
			code    string
			version int
		}{{"SC-001", 5}, {"SC-001", 0}, {"NO-SUCH", 0}, {"NO-SUCH", 1}} {
			if _, err := s.Version(ctx, v.code, v.version); !isNotFound(err) {
				t.Errorf("%s version %d: %v, want NotFound", v.code, v.version, err)
			}
		}
		if _, err := s.Published(ctx, "NO-SUCH"); !isNotFound(err) {
			t.Errorf("Published(NO-SUCH): %v, want NotFound", err)
		}
	})
}

func isNotFound(err error) bool {
	var ae *apperr.Error
	return errors.As(err, &ae) && ae.Code == apperr.NotFound
}

// What a caller gets is its own: changing it leaves what others read alone.
func TestIndexHandsOutCopies(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := catalog.NewStore(db)
		mustPutDepartments(t, s, market())
		it := generated(1, "HN-SCJG")[0]
		it.Fields = []catalog.FormField{{Key: "kind", Label: "类别", Type: "select", Options: []string{"甲", "乙"}}}
		if err := s.Load(ctx, auth.System, nil, []catalog.Item{it}, true); err != nil {
			t.Fatal(err)
		}
		want, _ := s.Published(ctx, it.Code)
		scribble := func(it *catalog.Item) {
			it.Name = "改"
			it.Levels[0] = 1
			it.Materials[0].Name = "改"
			it.Fields[0].Options[0] = "改"
			it.LifeEvents[0] = "改"
			*it.PublishedAt = time.Time{}
		}
		got, _ := s.Published(ctx, it.Code)
		scribble(&got)
		v, _ := s.Version(ctx, it.Code, 1)
		scribble(&v)
		page, _, _ := s.Search(ctx, catalog.Filter{Query: "生成事项"})
		scribble(&page[0])
		byCode, _ := s.ItemsByCodes(ctx, []string{it.Code})
		got = byCode[it.Code]
		scribble(&got)
		if again, _ := s.Published(ctx, it.Code); !reflect.DeepEqual(again, want) {
			t.Errorf("after changing what was handed out: %+v, want %+v", again, want)
		}
	})
}

// Two servers over one database: a publish by one reaches the other's index
// when the other next compares generations, which its clock allows once per
// IndexCheckInterval.
func TestIndexFollowsOtherProcesses(t *testing.T) {
	twoHandles(t, func(t *testing.T, db1, db2 *store.DB) {
		writer := catalog.NewStore(db1)
		pinyinFixture(t, writer)
		reader := catalog.NewStore(db2)
		now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
		catalog.SetClock(reader, func() time.Time { return now })
		wantName(t, reader, "SC-003", 1, "营业执照遗失作废声明")

		it, _ := writer.Published(ctx, "SC-003")
		it.Name = "营业执照遗失声明"
		draft, err := writer.SaveDraft(ctx, auth.System, it)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := writer.Publish(ctx, auth.System, "SC-003", draft.Version); err != nil {
			t.Fatal(err)
		}
		wantName(t, writer, "SC-003", 2, "营业执照遗失声明")

		now = now.Add(catalog.IndexCheckInterval - time.Nanosecond)
		wantName(t, reader, "SC-003", 1, "营业执照遗失作废声明") // not compared yet: the bound allows this
		if v, _ := reader.Version(ctx, "SC-003", 2); v.Name != "营业执照遗失声明" {
			t.Errorf("version 2 = %q, want it read from the database", v.Name)
		}
		now = now.Add(time.Nanosecond)
		wantName(t, reader, "SC-003", 2, "营业执照遗失声明")
		if got := searchAll(t, reader, "yyzzyszf"); len(got) != 0 {
			t.Errorf("the old name's initials still find %v", got)
		}
		if v, _ := reader.Version(ctx, "SC-003", 1); v.Status != catalog.StatusRetired {
			t.Errorf("version 1 is %s, want retired", v.Status)
		}

		// An import by the other server is followed the same way.
		if err := writer.Load(ctx, auth.System, nil, []catalog.Item{item("SC-030", "HN-SCJG", "营业执照年度报告")}, true); err != nil {
			t.Fatal(err)
		}
		if _, err := reader.Published(ctx, "SC-030"); !isNotFound(err) {
			t.Errorf("SC-030 before the check: %v, want NotFound", err)
		}
		now = now.Add(catalog.IndexCheckInterval)
		wantName(t, reader, "SC-030", 1, "营业执照年度报告")
	})
}

// twoHandles runs fn with two separately opened handles on one database,
// as two servers would have, on SQLite and on PostgreSQL when asked for.
func twoHandles(t *testing.T, fn func(t *testing.T, db1, db2 *store.DB)) {
	open := func(t *testing.T, dsn string) *store.DB {
		db, err := store.Open(context.Background(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}
	t.Run("sqlite", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "shared.db")
		db1 := open(t, path)
		if err := db1.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		fn(t, db1, open(t, path))
	})
	if storetest.PostgresURL() != "" {
		t.Run("postgres", func(t *testing.T) {
			db1, dsn := storetest.Postgres(t)
			fn(t, db1, open(t, dsn))
		})
	}
}

// BenchmarkSearchIndexVsSQL compares the in-memory search with the SQL one
// on the demo catalogue, per query, as the catalogue page asks (first page).
func BenchmarkSearchIndexVsSQL(b *testing.B) {
	depts, items := demo.Catalogue()
	for _, engine := range benchEngines() {
		s := catalog.NewStore(engine.open(b))
		if err := s.Load(ctx, auth.System, depts, items, true); err != nil {
			b.Fatal(err)
		}
		paths := []struct {
			name   string
			search func(context.Context, catalog.Filter) ([]catalog.Item, int, error)
		}{
			{"index", s.Search},
			{"sql", func(ctx context.Context, f catalog.Filter) ([]catalog.Item, int, error) {
				return catalog.SearchSQL(ctx, s, f)
			}},
		}
		for _, q := range []string{"营业执照", "yyzz", "yingyezhizhao", "sb", ""} {
			for _, p := range paths {
				b.Run(engine.name+"/"+p.name+"/"+queryName(q), func(b *testing.B) {
					for b.Loop() {
						if _, _, err := p.search(ctx, catalog.Filter{Query: q}); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		}
	}
}

func queryName(q string) string {
	if strings.TrimSpace(q) == "" {
		return "browse"
	}
	return q
}

// Readers searching while an item is published again and again never see an
// error or a version older than the last one published before their read
// began, and all agree on the last one at the end.
func TestIndexUnderConcurrentPublishes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := catalog.NewStore(db)
		pinyinFixture(t, s)
		var published atomic.Int64
		published.Store(1)
		done := make(chan struct{})
		var wg sync.WaitGroup
		stop := sync.OnceFunc(func() { close(done); wg.Wait() })
		defer stop()
		for range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				reader := catalog.NewStore(db)
				for {
					select {
					case <-done:
						return
					default:
					}
					floor := published.Load()
					it, err := reader.Published(ctx, "SC-009")
					if err != nil || int64(it.Version) < floor {
						t.Errorf("read version %d, %v; version %d was published before", it.Version, err, floor)
						return
					}
					if _, _, err := reader.Search(ctx, catalog.Filter{Query: "yyzz"}); err != nil {
						t.Error(err)
						return
					}
				}
			}()
		}
		for v := 2; v <= 6; v++ {
			it, _ := s.Published(ctx, "SC-009")
			it.Name = fmt.Sprintf("营业执照%d", v)
			draft, err := s.SaveDraft(ctx, auth.System, it)
			if err == nil {
				_, err = s.Publish(ctx, auth.System, "SC-009", draft.Version)
			}
			if err != nil {
				t.Fatal(err)
			}
			published.Store(int64(v))
		}
		stop()
		wantName(t, catalog.NewStore(db), "SC-009", 6, "营业执照6")
	})
}
