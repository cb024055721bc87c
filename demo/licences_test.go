package demo_test

import (
	"context"
	"testing"
	"time"

	"github.com/onewindow/onewindow/catalog"
	"github.com/onewindow/onewindow/clock"
	"github.com/onewindow/onewindow/demo"
	"github.com/onewindow/onewindow/licence"
	"github.com/onewindow/onewindow/store/storetest"
)

// With keys, the demo's past cases whose items yield a licence are issued
// one as they are issued, each for an issued case and verifying.
func TestHistoryIssuesLicences(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 3, 16, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))
	dir := t.TempDir()
	if err := demo.LicenceKeys(dir); err != nil {
		t.Fatal(err)
	}
	db := storetest.SQLite(t)
	if loaded, err := demo.LoadWithLicences(ctx, db, now, &licence.KeyDir{Path: dir}); err != nil || !loaded {
		t.Fatalf("demo data: %v %v", loaded, err)
	}
	var n, unissued int
	if err := db.QueryRowContext(ctx, `SELECT COUNT(*), COUNT(CASE WHEN c.state NOT IN ('issued', 'closed') THEN 1 END)
		FROM licences l JOIN cases c ON c.id = l.case_id`).Scan(&n, &unissued); err != nil {
		t.Fatal(err)
	}
	if n == 0 || unissued != 0 {
		t.Fatalf("%d licences in the history, %d of them for cases not issued", n, unissued)
	}
	var doc string
	if err := db.QueryRowContext(ctx, `SELECT document FROM licences ORDER BY id LIMIT 1`).Scan(&doc); err != nil {
		t.Fatal(err)
	}
	svc := licence.NewService(db, catalog.NewStore(db), &licence.KeyDir{Path: dir}, clock.Fixed(now))
	if v, err := svc.VerifyDocument(ctx, []byte(doc)); err != nil || (!v.Valid && v.Reason != licence.Expired) {
		t.Fatalf("a licence of the history: %+v %v", v, err)
	}
	t.Logf("%d licences issued in the history", n)

}
