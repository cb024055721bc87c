package network_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/network"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/store/storetest"
)

// A search of the points finds by code, name (either language) and
// address, filters by level and kind, never returns more than a page, and
// counts every match.
func TestSearchPoints(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := network.NewStore(db)
		put := func(p network.Point) {
			t.Helper()
			if _, err := s.Put(ctx, auth.System, p); err != nil {
				t.Fatal(err)
			}
		}
		put(network.Point{Code: "HNZWFW", Name: "辉南县政务服务中心", NameEN: "Huinan County Hall", Level: 4, Kind: network.KindCountyHall, Address: "辉南县朝阳镇"})
		for i := 0; i < 130; i++ {
			put(network.Point{Code: fmt.Sprintf("V%03d", i), Name: fmt.Sprintf("第%d村便民服务站", i), Level: 6, Kind: network.KindVillageStation,
				Address: fmt.Sprintf("辉南县样子哨镇%d号", i)})
		}
		put(network.Point{Code: "YZS", Name: "样子哨镇便民服务中心", Level: 5, Kind: network.KindTownshipCentre, Address: "辉南县样子哨镇"})
		put(network.Point{Code: "P-50", Name: "百分之50%_站", Level: 6, Kind: network.KindVillageStation})

		all, total, err := s.Search(ctx, network.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		if total != 133 || len(all) != network.MaxPage || all[0].Code != "HNZWFW" || all[1].Code != "YZS" {
			t.Fatalf("first page: %d of %d, starting %v", len(all), total, all[0].Code)
		}
		big, _, _ := s.Search(ctx, network.Filter{Limit: 10000})
		if len(big) != network.MaxPage {
			t.Errorf("a page of %d, want at most %d", len(big), network.MaxPage)
		}
		last, total, _ := s.Search(ctx, network.Filter{Offset: 100})
		if total != 133 || len(last) != 33 || last[0].Code == all[len(all)-1].Code {
			t.Errorf("second page: %d of %d", len(last), total)
		}
		for _, tt := range []struct {
			f     network.Filter
			total int
			first string
		}{
			{network.Filter{Query: "county hall"}, 1, "HNZWFW"},
			{network.Filter{Query: "hnzw"}, 1, "HNZWFW"},
			{network.Filter{Query: "样子哨镇"}, 131, "YZS"},
			{network.Filter{Query: "样子哨镇", Level: 6}, 130, "V000"},
			{network.Filter{Query: "第12"}, 11, "V012"},
			{network.Filter{Kind: network.KindTownshipCentre}, 1, "YZS"},
			{network.Filter{Query: "50%"}, 1, "P-50"},
			{network.Filter{Query: "_"}, 1, "P-50"},
			{network.Filter{Query: "没有"}, 0, ""},
		} {
			got, total, err := s.Search(ctx, tt.f)
			if err != nil {
				t.Fatalf("%+v: %v", tt.f, err)
			}
			if total != tt.total || len(got) != min(tt.total, network.MaxPage) || tt.total > 0 && got[0].Code != tt.first {
				t.Errorf("%+v: %d shown of %d, want %d starting %s", tt.f, len(got), total, tt.total, tt.first)
			}
		}
		if _, _, err := s.Search(ctx, network.Filter{Level: 9, Kind: "palace"}); !hasFields(err, "level", "kind") {
			t.Errorf("a bad level and kind: %v", err)
		}
		if n, err := s.Count(ctx); err != nil || n != 133 {
			t.Errorf("count %d, %v", n, err)
		}
	})
}

func hasFields(err error, names ...string) bool {
	got := fieldsOf(err)
	for _, n := range names {
		found := false
		for _, g := range got {
			found = found || g == n
		}
		if !found {
			return false
		}
	}
	return true
}
