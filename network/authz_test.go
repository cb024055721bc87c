package network_test

import (
	"context"
	"testing"

	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/auth/authztest"
	"github.com/onewindow/onewindow/network"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/store/storetest"
)

// Every write to the service points is refused to other roles and out of
// scope, and is stored only together with its audit record.
func TestPointWritesAreAuthorizedAndAudited(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := network.NewStore(db)
		if _, err := s.Create(ctx, auth.System, network.Point{Code: "ZW-OLD", Name: "旧名称", Level: 4, Kind: network.KindCountyHall}); err != nil {
			t.Fatal(err)
		}
		named := func(code string) string {
			p, err := s.Get(ctx, nil, code)
			if err != nil {
				return ""
			}
			return p.Name
		}
		writes := []authztest.Write{
			{Name: "Create", Action: "point.create", Object: "point:ZW-NEW",
				Do: func(ctx context.Context, u auth.User) error {
					_, err := s.Create(ctx, u, network.Point{Code: "ZW-NEW", Name: "新网点", Level: 5, Kind: network.KindTownshipCentre})
					return err
				},
				Stored: func(*testing.T) bool { return named("ZW-NEW") == "新网点" }},
			{Name: "Update", Action: "point.update", Object: "point:ZW-OLD",
				Do: func(ctx context.Context, u auth.User) error {
					_, err := s.Update(ctx, u, network.Point{Code: "ZW-OLD", Name: "新名称", Level: 4, Kind: network.KindCountyHall})
					return err
				},
				Stored: func(*testing.T) bool { return named("ZW-OLD") == "新名称" }},
			{Name: "Put", Action: "point.put", Object: "point:ZW-PUT",
				Do: func(ctx context.Context, u auth.User) error {
					_, err := s.Put(ctx, u, network.Point{Code: "ZW-PUT", Name: "替换网点", Level: 5, Kind: network.KindTownshipCentre})
					return err
				},
				Stored: func(*testing.T) bool { return named("ZW-PUT") == "替换网点" }},
			{Name: "Import", Action: "points.import", Object: "points",
				Do: func(ctx context.Context, u auth.User) error {
					_, err := s.Import(ctx, u, []network.Point{{Code: "ZW-IMP", Name: "导入网点", Level: 5, Kind: network.KindTownshipCentre}})
					return err
				},
				Stored: func(*testing.T) bool { return named("ZW-IMP") == "导入网点" }},
		}
		for _, w := range writes {
			authztest.Check(t, db, w)
		}
	})
}
