package cases_test

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/cases"
	"github.com/onewindow/onewindow/catalog"
	"github.com/onewindow/onewindow/metrics"
	"github.com/onewindow/onewindow/network"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/store/storetest"
	"github.com/onewindow/onewindow/workday"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

func (f *fixture) scan(t *testing.T, date string) cases.ScanReport {
	t.Helper()
	f.at(date)
	rep, err := f.svc.ScanSLA(context.Background(), f.now, quiet)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Failed) > 0 {
		t.Fatalf("scan failed for %v", rep.Failed)
	}
	return rep
}

func count(t *testing.T, db *store.DB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := db.QueryRowContext(context.Background(), q, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// Accepted Monday 2026-11-23 with a 5-day promise: due Monday 11-30
// (11-24, 25, 26, 27, 30); one working day left from Friday 11-27 (warning).
func TestScanEscalatesEachStepOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		f.at("2026-11-23")
		c := f.walkIn(t, "id_card", "diagnosis", "medical_record")
		c = f.act(t, f.front, c, cases.Accept, cases.ActRequest{})
		if c.PromisedDue != "2026-11-30" || c.WarnFrom != "2026-11-27" {
			t.Fatalf("due %s, warning from %s; want 2026-11-30 and 2026-11-27", c.PromisedDue, c.WarnFrom)
		}
		breaches := func() float64 { return metrics.Value("onewindow_sla_breaches_total", "department", "HN-YB") }
		b0 := breaches()
		steps := []struct {
			date        string
			escalations int
			breaches    float64 // counted so far: the case breaches on the first day overdue, once
		}{{"2026-11-26", 0, 0}, {"2026-11-27", 1, 0}, {"2026-11-27", 0, 0}, {"2026-11-30", 0, 0}, {"2026-12-01", 1, 1}, {"2026-12-02", 0, 1}, {"2026-12-03", 1, 1}, {"2026-12-03", 0, 1}}
		for _, st := range steps {
			if rep := f.scan(t, st.date); rep.Escalations != st.escalations {
				t.Fatalf("scan on %s: %d escalations, want %d", st.date, rep.Escalations, st.escalations)
			}
			if got := breaches() - b0; got != st.breaches {
				t.Fatalf("after the scan on %s: %v SLA breaches counted, want %v", st.date, got, st.breaches)
			}
		}
		if n := count(t, db, `SELECT COUNT(*) FROM case_escalations WHERE case_id = ?`, c.ID); n != 3 {
			t.Fatalf("%d escalation rows, want 3", n)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM outbox WHERE topic LIKE 'case.escalation.%' AND recipient = ?`, "point:HNZWFW:hall_manager"); n != 2 {
			t.Fatalf("the hall manager got %d notices, want 2 (warning, overdue)", n)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM case_events WHERE case_id = ? AND action = 'escalate'`, c.ID); n != 3 {
			t.Fatalf("%d escalation events in the history, want 3", n)
		}
		var q []cases.Case
		q, total, err := f.svc.List(context.Background(), f.reviewer, cases.Filter{SLA: cases.SLAOverdue})
		if err != nil || total != 1 || q[0].ID != c.ID {
			t.Fatalf("overdue queue: %d cases (%v)", total, err)
		}
	})
}

// The applicant is reminded on the last day to supplement and the case is
// terminated the next working day. 一次性告知 on Monday 11-23, 5 working days:
// due 11-30. The reminder goes out when at most one working day is left.
func TestScanRemindsThenTerminates(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		f.at("2026-11-23")
		c := f.walkIn(t, "id_card")
		c = f.act(t, f.front, c, cases.NotifyMissing, cases.ActRequest{})
		if c.SupplementDue != "2026-11-30" {
			t.Fatalf("supplement due %s, want 2026-11-30", c.SupplementDue)
		}
		if rep := f.scan(t, "2026-11-26"); rep.Reminders != 0 {
			t.Fatalf("reminded too early: %+v", rep)
		}
		if rep := f.scan(t, "2026-11-27"); rep.Reminders != 1 || rep.Terminated != 0 {
			t.Fatalf("on 11-27: %+v, want one reminder", rep)
		}
		if rep := f.scan(t, "2026-11-30"); rep.Reminders != 0 || rep.Terminated != 0 {
			t.Fatalf("on the due day: %+v, want nothing", rep)
		}
		if rep := f.scan(t, "2026-12-01"); rep.Terminated != 1 {
			t.Fatalf("after the due day: %+v, want the case terminated", rep)
		}
		got, err := f.svc.Get(context.Background(), f.front, c.ID)
		if err != nil || got.State != cases.Terminated || len(got.Reasons) != 1 {
			t.Fatalf("case %s reasons %v (%v), want terminated with the reason", got.State, got.Reasons, err)
		}
		if rep := f.scan(t, "2026-12-02"); rep.Terminated != 0 || rep.Reminders != 0 {
			t.Fatalf("a second scan did something: %+v", rep)
		}
	})
}

// 容缺: the applicant is reminded once, on the last working day before the
// waived materials are due, unless they arrived.
func TestScanRemindsOfWaivedMaterials(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		f.at("2026-11-23")
		missing := f.act(t, f.front, f.walkIn(t, "id_card", "diagnosis"), cases.Accept, cases.ActRequest{WaiverDays: 3})
		supplied := f.act(t, f.front, f.walkIn(t, "id_card", "diagnosis"), cases.Accept, cases.ActRequest{WaiverDays: 3})
		if missing.WaiverDue != "2026-11-26" {
			t.Fatalf("waiver due %s", missing.WaiverDue)
		}
		if _, err := f.svc.AddMaterial(context.Background(), f.front, supplied.ID, cases.Material{Type: "medical_record", Source: cases.SourcePresented}); err != nil {
			t.Fatal(err)
		}
		if rep := f.scan(t, "2026-11-24"); rep.Reminders != 0 {
			t.Fatalf("reminded two days early: %+v", rep)
		}
		if rep := f.scan(t, "2026-11-25"); rep.Reminders != 1 {
			t.Fatalf("on 11-25: %+v, want one reminder (the case still missing its record)", rep)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM outbox WHERE topic = 'case.escalation.waiver_reminder' AND payload LIKE ?`, "%"+missing.Number+"%"); n != 1 {
			t.Fatalf("%d reminders in the outbox", n)
		}
		if rep := f.scan(t, "2026-11-26"); rep.Reminders != 0 {
			t.Fatalf("reminded twice: %+v", rep)
		}
	})
}

// A special procedure pauses the clock; an administrator's extension adds days.
func TestSpecialProcedureAndExtension(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		f.at("2026-11-23")
		c := f.walkIn(t, "id_card", "diagnosis", "medical_record")
		c = f.act(t, f.front, c, cases.Accept, cases.ActRequest{})
		c = f.act(t, f.reviewer, c, cases.StartReview, cases.ActRequest{})
		if _, err := f.svc.Act(ctx, f.reviewer, c.ID, cases.StartSpecial, cases.ActRequest{Procedure: "karaoke"}); apperr.CodeOf(err) != apperr.Invalid {
			t.Fatalf("unknown procedure: %v", err)
		}
		f.at("2026-11-24")
		c = f.act(t, f.reviewer, c, cases.StartSpecial, cases.ActRequest{Procedure: "expert_review"})
		if c.PausedSince != "2026-11-24" || c.State != cases.InReview {
			t.Fatalf("after start_special: %+v", c)
		}
		if sla := f.svc.SLA(&c); sla.Status != cases.SLAPaused {
			t.Fatalf("sla %s, want paused", sla.Status)
		}
		if _, err := f.svc.Act(ctx, f.reviewer, c.ID, cases.RequestSupplement, cases.ActRequest{Reasons: []string{"x"}}); apperr.As(err).Reason != "clock_paused" {
			t.Fatalf("补正 during a special procedure: %v", err)
		}
		f.at("2026-11-26") // paused 11-25 and 11-26: two working days
		c = f.act(t, f.reviewer, c, cases.EndSpecial, cases.ActRequest{})
		if c.PausedDays != 2 || c.PromisedDue != "2026-12-02" {
			t.Fatalf("after end_special: paused %d, due %s; want 2 and 2026-12-02", c.PausedDays, c.PromisedDue)
		}
		if _, err := f.svc.Act(ctx, f.reviewer, c.ID, cases.Extend, cases.ActRequest{Days: 3, Reasons: []string{"需补充鉴定"}}); apperr.CodeOf(err) != apperr.Forbidden {
			t.Fatalf("a reviewer extending: %v, want forbidden (an administrator approves)", err)
		}
		admin := f.reviewer
		admin.Role, admin.DepartmentCode, admin.Username = cases.RoleAdmin, "", "admin"
		c = f.act(t, admin, c, cases.Extend, cases.ActRequest{Days: 3, Reasons: []string{"需补充鉴定"}})
		if c.PromisedDue != "2026-12-07" || c.ExtendedDays != 3 {
			t.Fatalf("after extension: due %s extended %d; want 2026-12-07 and 3", c.PromisedDue, c.ExtendedDays)
		}
	})
}

// Two schedulers (two servers) scan the same database at the same moment:
// each escalation happens exactly once.
func TestTwoSchedulersEscalateOnce(t *testing.T) {
	run := func(t *testing.T, db1, db2 *store.DB) {
		f := newFixture(t, db1)
		f.at("2026-11-23")
		var ids []int64
		for range 10 {
			c := f.walkIn(t, "id_card", "diagnosis", "medical_record")
			f.act(t, f.front, c, cases.Accept, cases.ActRequest{})
			ids = append(ids, c.ID)
		}
		cal, _ := workday.NewOfficial()
		other := cases.NewService(db2, catalog.NewStore(db2), network.NewStore(db2), cal, f.svc.Now)
		f.at("2026-12-03") // warning, overdue and three days overdue: 3 steps per case
		b0 := metrics.Value("onewindow_sla_breaches_total", "department", "HN-YB")
		var wg sync.WaitGroup
		reports := make([]cases.ScanReport, 2)
		for i, svc := range []*cases.Service{f.svc, other} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				rep, err := svc.ScanSLA(context.Background(), f.now, quiet)
				if err != nil || len(rep.Failed) > 0 {
					t.Errorf("scanner %d: %v %v", i, err, rep.Failed)
				}
				reports[i] = rep
			}()
		}
		wg.Wait()
		if total := reports[0].Escalations + reports[1].Escalations; total != 30 {
			t.Fatalf("%d + %d escalations, want 30 in all", reports[0].Escalations, reports[1].Escalations)
		}
		if n := count(t, db1, `SELECT COUNT(*) FROM case_events WHERE action = 'escalate'`); n != 30 {
			t.Fatalf("%d escalation events, want 30", n)
		}
		if got := metrics.Value("onewindow_sla_breaches_total", "department", "HN-YB") - b0; got != 10 {
			t.Errorf("%v SLA breaches counted by the two schedulers, want 10 (one a case)", got)
		}
	}
	t.Run("sqlite", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "shared.db")
		run(t, openMigrated(t, path), openMigrated(t, path))
	})
	if storetest.PostgresURL() != "" {
		t.Run("postgres", func(t *testing.T) {
			dsn := storetest.NewSchema(t, storetest.PostgresURL())
			run(t, openMigrated(t, dsn), openMigrated(t, dsn))
		})
	}
}

func openMigrated(t *testing.T, dsn string) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return db
}

// A reminder to an applicant known by a mobile number goes to that number
// (the outbox keeps it whole, to deliver), while the case's history and the
// audit log record it masked: they are kept for ever and read by staff.
func TestRemindersKeepThePhoneMaskedInTheRecords(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		f.at("2026-11-23")
		const phone = "13904350002"
		c, err := f.svc.Create(context.Background(), f.front, cases.CreateRequest{Item: "YB-0001", Materials: []string{"id_card"},
			Applicant: &cases.Applicant{Kind: "person", Name: "何经奇", IDNumber: f.personID, Phone: phone}})
		if err != nil {
			t.Fatal(err)
		}
		c = f.act(t, f.front, c, cases.NotifyMissing, cases.ActRequest{})
		if rep := f.scan(t, "2026-11-27"); rep.Reminders != 1 {
			t.Fatalf("on 11-27: %+v, want one reminder", rep)
		}
		ctx := context.Background()
		var outbox int
		db.QueryRowContext(ctx, `SELECT COUNT(*) FROM outbox WHERE recipient = ?`, "phone:"+phone).Scan(&outbox)
		if outbox == 0 {
			t.Error("the reminder is not addressed to the applicant's number")
		}
		var events, audits string
		db.QueryRowContext(ctx, `SELECT data FROM case_events WHERE case_id = ? AND action = 'escalate'`, c.ID).Scan(&events)
		db.QueryRowContext(ctx, `SELECT detail FROM audit_log WHERE action = 'case.escalate' AND object = ?`, "case:"+c.Number).Scan(&audits)
		for name, rec := range map[string]string{"history": events, "audit log": audits} {
			if rec == "" || strings.Contains(rec, phone) || !strings.Contains(rec, "139****0002") {
				t.Errorf("the %s records %q: want the number masked", name, rec)
			}
		}
	})
}
