package catalog_test

import (
	"slices"
	"testing"

	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/catalog"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/store/storetest"
)

// People search by what they want, not the item's official name: an
// item's aliases, in Chinese or their pinyin (full or initials), find it,
// in the published catalogue (held in memory) and among drafts (SQL) alike.
func TestAliasSearch(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := catalog.NewStore(db)
		mustPutDepartments(t, s, market(), social())
		company := item("SC-101", "HN-SCJG", "企业设立登记")
		company.Aliases = []string{"营业执照", "开公司"}
		trader := item("SC-102", "HN-SCJG", "个体工商户设立登记")
		trader.Aliases = []string{"营业执照", "个体户"}
		card := item("RS-101", "HN-RSJ", "社会保障卡申领")
		card.Aliases = []string{"社保卡", "social security card"}
		plain := item("RS-102", "HN-RSJ", "社会保险参保登记")
		if err := s.Load(ctx, auth.System, nil, []catalog.Item{company, trader, card, plain}, true); err != nil {
			t.Fatal(err)
		}
		draft := item("RS-103", "HN-RSJ", "社会保障卡补领换领")
		draft.Aliases = []string{"社保卡丢了"}
		if _, err := s.SaveDraft(ctx, auth.System, draft); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			query  string
			status string
			want   []string
		}{
			{"营业执照", "", []string{"SC-101", "SC-102"}},
			{"yyzz", "", []string{"SC-101", "SC-102"}},
			{"yingyezhizhao", "", []string{"SC-101", "SC-102"}},
			{"开公司", "", []string{"SC-101"}},
			{"gth", "", []string{"SC-102"}},
			{"sbk", "", []string{"RS-101"}},
			{"社保卡", "", []string{"RS-101"}},
			{"security card", "", []string{"RS-101"}},
			{"sbkdl", catalog.StatusDraft, []string{"RS-103"}},
			{"社保卡丢了", catalog.StatusDraft, []string{"RS-103"}},
		} {
			items, _, err := s.Search(ctx, catalog.Filter{Query: c.query, Status: c.status})
			if err != nil {
				t.Fatal(err)
			}
			got := codes(items)
			slices.Sort(got)
			if !slices.Equal(got, c.want) {
				t.Errorf("Search(%q, %q) = %v, want %v", c.query, c.status, got, c.want)
			}
		}
	})
}

// Aliases are checked like the other lists: none empty, none twice, none
// too long; typed ones are split at 、 , ; and new lines, not at spaces.
func TestAliasRules(t *testing.T) {
	if got := catalog.ParseAliases("营业执照、开公司，business licence;\n 个体户 "); !slices.Equal(got, []string{"营业执照", "开公司", "business licence", "个体户"}) {
		t.Errorf("ParseAliases = %q", got)
	}
	it := item("SC-101", "HN-SCJG", "企业设立登记")
	it.Aliases = []string{"营业执照", "营业执照", "这是一个远远超过三十个字的别名这是一个远远超过三十个字的别名啊啊"}
	it.Normalize()
	if f := fieldsOf(t, it.Validate()); !slices.Contains(f, "aliases") {
		t.Errorf("fields %v, want aliases", f)
	}
}
