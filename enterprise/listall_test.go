package enterprise

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/onewindow/onewindow/store/storetest"
)

// ListAll reads every page: more requests than one page holds all come back,
// newest first, and a filter still applies.
func TestListAllReadsEveryPage(t *testing.T) {
	db := storetest.SQLite(t)
	f := newFixture(t, db)
	var numbers []string
	for i := 0; i < 205; i++ {
		numbers = append(numbers, f.raise(f.ent, "land", "用地").Number)
		f.now = f.now.Add(time.Minute)
	}
	accepted := f.act(f.member, f.raise(f.ent, "labour", "用工").ID, Accept, ActRequest{})
	all, err := f.svc.ListAll(context.Background(), Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 206 || all[0].Number != accepted.Number {
		t.Fatalf("ListAll gave %d requests, the first %s; want 206, the newest (%s) first", len(all), all[0].Number, accepted.Number)
	}
	for _, n := range numbers {
		if !slices.ContainsFunc(all, func(r Request) bool { return r.Number == n }) {
			t.Fatalf("request %s missing", n)
		}
	}
	some, err := f.svc.ListAll(context.Background(), Filter{Statuses: []Status{Accepted}, Limit: 1, Offset: 5})
	if err != nil || len(some) != 1 || some[0].Number != accepted.Number {
		t.Errorf("ListAll of the accepted: %v, %v; want only %s", some, err, accepted.Number)
	}
}
