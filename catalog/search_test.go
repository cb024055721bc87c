package catalog_test

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/catalog"
	"github.com/onewindow/onewindow/demo"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/store/storetest"
)

// pinyinFixture stores names whose code order differs from the order a
// search should rank them in.
func pinyinFixture(t *testing.T, s *catalog.Store) {
	t.Helper()
	mustPutDepartments(t, s, market(), social())
	items := []catalog.Item{
		item("SC-000", "HN-SCJG", "电子营业执照下载"),
		item("SC-001", "HN-SCJG", "营业执照补领换发"),
		item("SC-002", "HN-SCJG", "营业执照变更登记"),
		item("SC-003", "HN-SCJG", "营业执照遗失作废声明"),
		item("SC-009", "HN-SCJG", "营业执照"),
		item("SC-010", "HN-SCJG", "食品经营许可"),
		item("RS-001", "HN-RSJ", "医保异地就医备案"),
		item("RS-002", "HN-RSJ", "异地转诊就医备案"),
		item("RS-003", "HN-RSJ", "社会组织银行账户备案"),
		item("RS-004", "HN-RSJ", "长春市居住证申领"),
		item("RS-005", "HN-RSJ", "朝阳镇便民服务中心登记"),
	}
	if err := s.Load(ctx, auth.System, nil, items, true); err != nil {
		t.Fatal(err)
	}
}

func TestPinyinSearch(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := catalog.NewStore(db)
		pinyinFixture(t, s)
		licences := []string{"SC-009", "SC-001", "SC-002", "SC-003", "SC-000"}
		cases := []struct {
			name  string
			query string
			want  []string
		}{
			{"initials", "yyzz", licences},
			{"initials in upper case", "YYZZ", licences},
			{"full pinyin", "yingyezhizhao", licences},
			{"pinyin a syllable at a time", "ying ye zhi zhao", licences},
			{"Chinese", "营业执照", licences},
			{"longer initials narrow it down", "yyzzbg", []string{"SC-002"}},
			{"initials of 医保异地", "ybyd", []string{"RS-001"}},
			{"initials of 异地", "yd", []string{"RS-002", "RS-001"}},
			{"part of the full pinyin", "yidi", []string{"RS-002", "RS-001"}},
			{"银行 is yinhang", "yinhang", []string{"RS-003"}},
			{"not yinxing", "yinxing", nil},
			{"长春 is changchun", "changchun", []string{"RS-004"}},
			{"not zhangchun", "zhangchun", nil},
			{"朝阳 as chaoyang", "chaoyang", []string{"RS-005"}},
			{"朝阳 as zhaoyang", "zhaoyangzhen", []string{"RS-005"}},
			{"便民 is bianmin", "bianmin", []string{"RS-005"}},
			{"pinyin and Chinese together", "yyzz 变更", []string{"SC-002"}},
			{"no such pinyin", "qqqq", nil},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				items, total, err := s.Search(ctx, catalog.Filter{Query: c.query})
				if err != nil {
					t.Fatal(err)
				}
				if got := codes(items); !slices.Equal(got, c.want) && !(len(got) == 0 && len(c.want) == 0) {
					t.Errorf("Search(%q) = %v, want %v", c.query, got, c.want)
				}
				if total != len(c.want) {
					t.Errorf("total %d, want %d", total, len(c.want))
				}
			})
		}
	})
}

// Pages of a ranked search follow the ranking, not the code order.
func TestRankedPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := catalog.NewStore(db)
		pinyinFixture(t, s)
		var seen []string
		for offset := 0; offset < 6; offset += 2 {
			page, total, err := s.Search(ctx, catalog.Filter{Query: "yyzz", Limit: 2, Offset: offset})
			if err != nil || total != 5 {
				t.Fatalf("offset %d: total %d, %v; want 5", offset, total, err)
			}
			seen = append(seen, codes(page)...)
		}
		if want := []string{"SC-009", "SC-001", "SC-002", "SC-003", "SC-000"}; !slices.Equal(seen, want) {
			t.Errorf("pages together = %v, want %v", seen, want)
		}
		page, total, err := s.Search(ctx, catalog.Filter{Query: "yyzz", Offset: 10})
		if err != nil || len(page) != 0 || total != 5 {
			t.Errorf("page past the end: %v of %d, %v; want none of 5", codes(page), total, err)
		}
	})
}

// Every way an item is written gets the pinyin: bulk loads (above), drafts
// saved one at a time, and, for versions stored before, Reindex.
func TestPinyinOfDraftsAndReindex(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := catalog.NewStore(db)
		mustPutDepartments(t, s, market())
		if _, err := s.SaveDraft(ctx, auth.System, item("SC-004", "HN-SCJG", "营业执照注销登记")); err != nil {
			t.Fatal(err)
		}
		items, _, err := s.Search(ctx, catalog.Filter{Query: "yyzzzx", Status: catalog.StatusDraft})
		if err != nil || !slices.Equal(codes(items), []string{"SC-004"}) {
			t.Errorf("draft by initials = %v, %v; want SC-004", codes(items), err)
		}

		plain := catalog.NewStore(db)
		plain.SearchTerms = nil
		if _, err := plain.SaveDraft(ctx, auth.System, item("SC-004", "HN-SCJG", "营业执照注销")); err != nil {
			t.Fatal(err)
		}
		if items, _, _ := s.Search(ctx, catalog.Filter{Query: "yyzzzx", Status: catalog.StatusDraft}); len(items) != 0 {
			t.Fatalf("found %v saved without pinyin", codes(items))
		}
		if n, err := s.Reindex(ctx); err != nil || n != 1 {
			t.Fatalf("Reindex = %d, %v; want 1 version", n, err)
		}
		items, _, err = s.Search(ctx, catalog.Filter{Query: "yyzzzx", Status: catalog.StatusDraft})
		if err != nil || !slices.Equal(codes(items), []string{"SC-004"}) {
			t.Errorf("after Reindex = %v, %v; want SC-004", codes(items), err)
		}
	})
}

// On the demo catalogue, a pinyin query finds what the Chinese one finds,
// and the Chinese one finds every name or alias holding the text, exact
// names first.
func TestPinyinSearchOnDemoCatalogue(t *testing.T) {
	depts, all := demo.Catalogue()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := catalog.NewStore(db)
		if err := s.Load(ctx, auth.System, depts, all, true); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct{ chinese, initials, full string }{
			{"营业执照", "yyzz", "yingyezhizhao"},
			{"医保异地", "ybyd", "yibaoyidi"},
			{"银行", "yh", "yinhang"},
		} {
			var want []string
			for _, it := range all {
				if strings.Contains(it.Name, c.chinese) || slices.ContainsFunc(it.Aliases, func(a string) bool { return strings.Contains(a, c.chinese) }) {
					want = append(want, it.Code)
				}
			}
			sort.Strings(want)
			byChinese := searchAll(t, s, c.chinese)
			if got := slices.Sorted(slices.Values(byChinese)); !slices.Equal(got, want) {
				t.Errorf("%s finds %v, want the %d names and aliases holding it: %v", c.chinese, got, len(want), want)
			}
			for _, q := range []string{c.initials, c.full} {
				got := searchAll(t, s, q)
				for _, code := range want {
					if !slices.Contains(got, code) {
						t.Errorf("%s does not find %s, which %s finds", q, code, c.chinese)
					}
				}
			}
		}
	})
}

// searchAll returns the codes of every published item query finds, in the
// order Search ranks them.
func searchAll(t *testing.T, s *catalog.Store, query string) []string {
	t.Helper()
	items, total, err := s.Search(ctx, catalog.Filter{Query: query, Limit: catalog.MaxLimit})
	if err != nil {
		t.Fatal(err)
	}
	if total > len(items) {
		t.Fatalf("%q matches %d items, more than one page", query, total)
	}
	return codes(items)
}

// BenchmarkDemoLoad loads the demo catalogue with and without pinyin terms;
// the difference is what indexing pinyin costs every test that loads it.
func BenchmarkDemoLoad(b *testing.B) {
	depts, items := demo.Catalogue()
	for _, engine := range benchEngines() {
		for _, terms := range []struct {
			name string
			fn   func(*catalog.Item) []string
		}{{"plain", nil}, {"pinyin", catalog.PinyinTerms}} {
			b.Run(engine.name+"/"+terms.name, func(b *testing.B) {
				for range b.N {
					b.StopTimer()
					s := catalog.NewStore(engine.open(b))
					s.SearchTerms = terms.fn
					b.StartTimer()
					if err := s.Load(ctx, auth.System, depts, items, true); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkDemoSearch searches the demo catalogue for the first page, as
// the catalogue page does, and reports the median and 99th percentile.
func BenchmarkDemoSearch(b *testing.B) {
	depts, items := demo.Catalogue()
	for _, engine := range benchEngines() {
		s := catalog.NewStore(engine.open(b))
		if err := s.Load(ctx, auth.System, depts, items, true); err != nil {
			b.Fatal(err)
		}
		for _, q := range []string{"yyzz", "ybyd", "yingyezhizhao", "营业执照", "sb"} {
			b.Run(fmt.Sprintf("%s/%s", engine.name, q), func(b *testing.B) {
				durations := make([]time.Duration, 0, b.N)
				for range b.N {
					start := time.Now()
					if _, _, err := s.Search(ctx, catalog.Filter{Query: q}); err != nil {
						b.Fatal(err)
					}
					durations = append(durations, time.Since(start))
				}
				slices.Sort(durations)
				b.ReportMetric(float64(durations[len(durations)/2].Microseconds()), "p50-µs")
				b.ReportMetric(float64(durations[len(durations)*99/100].Microseconds()), "p99-µs")
			})
		}
	}
}

type benchEngine struct {
	name string
	open func(testing.TB) *store.DB
}

func benchEngines() []benchEngine {
	out := []benchEngine{{"sqlite", storetest.SQLite}}
	if storetest.PostgresURL() != "" {
		out = append(out, benchEngine{"postgres", func(tb testing.TB) *store.DB { db, _ := storetest.Postgres(tb); return db }})
	}
	return out
}
