package network_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/network"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/store/storetest"
)

// twoServers opens one database twice, as two servers sharing it would.
func twoServers(t *testing.T, fn func(t *testing.T, a, b *store.DB)) {
	t.Run("sqlite", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "onewindow.db")
		fn(t, storetest.OpenSQLite(t, path), storetest.OpenSQLite(t, path))
	})
	for _, s := range storetest.Servers() {
		t.Run(s.Name, func(t *testing.T) {
			a, dsn := s.Open(t)
			b, err := store.Open(context.Background(), dsn)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { b.Close() })
			fn(t, a, b)
		})
	}
}

// Points are read from memory: an edit is seen at once by every Store of
// the process over the same database, and by another server sharing the
// database once it compares the generation (within PointCheckInterval). A
// point handed out is a copy: changing it changes nothing held.
func TestPointCacheFollowsWrites(t *testing.T) {
	twoServers(t, func(t *testing.T, a, b *store.DB) {
		ctx := context.Background()
		sa, sa2, sb := network.NewStore(a), network.NewStore(a), network.NewStore(b)
		p := network.Point{Code: "ZW-1", Name: "辉南县政务服务中心", Level: 4, Kind: network.KindCountyHall, Lat: ptr(42.68), Lon: ptr(126.05)}
		if _, err := sa.Create(ctx, auth.System, p); err != nil {
			t.Fatal(err)
		}
		for name, s := range map[string]*network.Store{"same store": sa, "other store": sa2, "other server": sb} {
			got, err := s.Get(ctx, nil, "ZW-1")
			if err != nil || got.Name != p.Name {
				t.Fatalf("%s after create: %q, %v", name, got.Name, err)
			}
		}
		got, _ := sa2.Get(ctx, nil, "ZW-1")
		got.Services[0], *got.Lat = "changed", 0
		if again, _ := sa2.Get(ctx, nil, "ZW-1"); again.Services[0] == "changed" || *again.Lat != 42.68 {
			t.Errorf("changing a point handed out changed the one held: %v, %v", again.Services, *again.Lat)
		}

		p.Name = "辉南县政务服务大厅"
		if _, err := sa.Update(ctx, auth.System, p); err != nil {
			t.Fatal(err)
		}
		if got, _ := sa2.Get(ctx, nil, "ZW-1"); got.Name != p.Name {
			t.Errorf("another store of the same process after the update: %q, want %q at once", got.Name, p.Name)
		}
		if _, err := sa.Create(ctx, auth.System, network.Point{Code: "ZW-2", Name: "朝阳镇便民服务中心", Level: 5, Kind: network.KindTownshipCentre}); err != nil {
			t.Fatal(err)
		}
		if _, err := sa2.Get(ctx, nil, "ZW-2"); err != nil {
			t.Errorf("a point created in the process: %v", err)
		}
		// Another process's write reaches this one through the generation
		// row only (the process's own writes also bump a counter in memory,
		// which two databases opened in one test process share): written
		// here as another process would, straight to the database.
		if _, err := b.ExecContext(ctx, `UPDATE service_points SET name = '辉南县政务服务中心（新址）' WHERE code = 'ZW-1'`); err != nil {
			t.Fatal(err)
		}
		if _, err := b.ExecContext(ctx, `UPDATE point_generation SET generation = generation + 1 WHERE id = 1`); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(5 * network.PointCheckInterval)
		for {
			got, err := sb.Get(ctx, nil, "ZW-1")
			if err == nil && got.Name == "辉南县政务服务中心（新址）" {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("the server still reads %q (%v) %v after another process's write", got.Name, err, 5*network.PointCheckInterval)
			}
			time.Sleep(50 * time.Millisecond)
		}
		if _, err := sb.Get(ctx, nil, "ZW-9"); err != network.ErrNoPoint {
			t.Errorf("an unknown point: %v, want ErrNoPoint", err)
		}
	})
}
