package network_test

import (
	"context"
	"slices"
	"testing"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/network"
	"github.com/onewindow/onewindow/region"
	"github.com/onewindow/onewindow/region/regiontest"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/store/storetest"
)

// Create refuses a code in use instead of replacing that point; Update
// refuses an unknown code instead of creating one, keeps the creation time,
// and a location typed in by hand is no longer marked as generated. Either
// refuses a division that does not exist, and writes nothing when it refuses.
func TestCreateAndUpdatePoint(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if err := regiontest.Load(ctx, db, []region.Region{
			{Code: "220000", Name: "吉林省", Level: 2},
			{Code: "220500", Name: "通化市", Level: 3, ParentCode: "220000"},
			{Code: "220523", Name: "辉南县", Level: 4, ParentCode: "220500"},
		}); err != nil {
			t.Fatal(err)
		}
		s := network.NewStore(db)
		first := network.Point{Code: "ZW-1", Name: "辉南县政务服务中心", Level: 4, Kind: network.KindCountyHall, RegionCode: "220523",
			Lat: ptr(42.68), Lon: ptr(126.05), LocationGenerated: true}
		created, err := s.Create(ctx, auth.System, first)
		if err != nil {
			t.Fatal(err)
		}
		if len(created.Services) != 3 {
			t.Errorf("a new county hall offers %v, want the kind's three services", created.Services)
		}

		other := network.Point{Code: "ZW-1", Name: "另一个中心", Level: 5, Kind: network.KindTownshipCentre}
		if got := fieldsOf(mustFail(s.Create(ctx, auth.System, other))); !slices.Equal(got, []string{"code"}) {
			t.Errorf("a code in use: fields %v, want code", got)
		}
		if got, _ := s.Get(ctx, nil, "ZW-1"); got.Name != first.Name {
			t.Errorf("a refused create replaced the point: %q", got.Name)
		}
		if got := fieldsOf(mustFail(s.Create(ctx, auth.System, network.Point{Code: "ZW-2", Name: "某中心", Level: 4, Kind: network.KindCountyHall,
			RegionCode: "220599"}))); !slices.Equal(got, []string{"region_code"}) {
			t.Errorf("an unknown division: fields %v, want region_code", got)
		}
		if list, _ := s.List(ctx); len(list) != 1 {
			t.Errorf("%d points after refused creates, want 1", len(list))
		}

		_, err = s.Update(ctx, auth.System, network.Point{Code: "ZW-9", Name: "不存在", Level: 4, Kind: network.KindCountyHall})
		if apperr.CodeOf(err) != apperr.NotFound {
			t.Errorf("updating an unknown code: %v, want NotFound", err)
		}
		if list, _ := s.List(ctx); len(list) != 1 {
			t.Errorf("updating an unknown code created it: %d points", len(list))
		}

		// The same location keeps its mark; a new one typed in loses it.
		moved := created
		moved.Name, moved.Services = "辉南县政务服务大厅", []string{network.ServiceGovernment}
		got, err := s.Update(ctx, auth.System, moved)
		if err != nil {
			t.Fatal(err)
		}
		if !got.LocationGenerated || got.CreatedAt.Unix() != created.CreatedAt.Unix() {
			t.Errorf("an update without a move: generated %v, created %v (was %v)", got.LocationGenerated, got.CreatedAt, created.CreatedAt)
		}
		moved.Lat = ptr(42.70)
		if _, err := s.Update(ctx, auth.System, moved); err != nil {
			t.Fatal(err)
		}
		stored, err := s.Get(ctx, nil, "ZW-1")
		if err != nil {
			t.Fatal(err)
		}
		if stored.Name != "辉南县政务服务大厅" || stored.LocationGenerated || *stored.Lat != 42.70 ||
			!slices.Equal(stored.Services, []string{network.ServiceGovernment}) || stored.CreatedAt.Unix() != created.CreatedAt.Unix() {
			t.Errorf("after the update: %+v", stored)
		}

		bad := moved
		bad.RegionCode, bad.Name = "220599", "改不了的名字"
		if got := fieldsOf(mustFail(s.Update(ctx, auth.System, bad))); !slices.Equal(got, []string{"region_code"}) {
			t.Errorf("an unknown division: fields %v, want region_code", got)
		}
		if again, _ := s.Get(ctx, nil, "ZW-1"); again.Name != stored.Name {
			t.Errorf("a refused update changed the name to %q", again.Name)
		}
	})
}

func mustFail(_ network.Point, err error) error { return err }
