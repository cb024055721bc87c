package targets

import (
	"context"
	"testing"
	"time"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/store/storetest"
)

func TestJudge(t *testing.T) {
	cases := []struct {
		name     string
		done     int64
		doneOn   string
		today    string
		standing Standing
		percent  int
	}{
		{"half way, in time", 400_000, "", "2024-07-31", OnTrack, 50},
		{"nearly done shows 99, not 100", 799_999, "", "2024-07-31", OnTrack, 99},
		{"reached early", 804_500, "2024-07-31", "2024-08-01", DoneOnTime, 100},
		{"reached on the deadline", 800_000, "2024-12-31", "2025-01-05", DoneOnTime, 100},
		{"reached after the deadline", 800_000, "2025-01-01", "2025-01-05", DoneLate, 100},
		{"deadline passed short of the target", 600_000, "", "2025-01-01", Overdue, 75},
		{"deadline day itself is in time", 0, "", "2024-12-31", OnTrack, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, p := Judge(800_000, c.done, "2024-12-31", c.doneOn, c.today)
			if s != c.standing || p != c.percent {
				t.Errorf("Judge = %s, %d; want %s, %d", s, p, c.standing, c.percent)
			}
		})
	}
}

func TestTargetsProgress(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := time.Date(2024, 7, 31, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))
		svc := NewService(db, func() time.Time { return now })
		users := auth.NewStore(db)
		add := func(u auth.User) auth.User {
			u, err := users.AddUser(ctx, auth.System, u, "correct-horse-battery-9")
			if err != nil {
				t.Fatal(err)
			}
			return u
		}
		admin := add(auth.User{Username: "admin", Name: "管理员", Role: auth.RoleAdmin})
		env := add(auth.User{Username: "env", Name: "生态环境厅", Role: auth.RoleReviewer, DepartmentCode: "SHJT"})
		other := add(auth.User{Username: "jtt", Name: "交通运输厅", Role: auth.RoleReviewer, DepartmentCode: "JTYST"})

		_, err := svc.Create(ctx, env, TargetInput{Year: 2024, Name: "x", DepartmentCode: "SHJT", Unit: "个", Quantity: 1, Deadline: "2024-12-31"})
		if e := apperr.As(err); e == nil || e.Reason != "role_not_allowed" {
			t.Fatalf("reviewer creates: %v", err)
		}
		_, err = svc.Create(ctx, admin, TargetInput{Year: 2024, Unit: "个", Quantity: 0, Deadline: "31.12.2024"})
		if e := apperr.As(err); e == nil || len(e.Fields) != 4 {
			t.Fatalf("bad target: %v", err)
		}
		sewage, err := svc.Create(ctx, admin, TargetInput{Year: 2024, Name: "完成行政村污水治理", DepartmentCode: "SHJT", Unit: "个", Quantity: 500, Deadline: "2024-12-31"})
		if err != nil {
			t.Fatal(err)
		}
		bus, err := svc.Create(ctx, admin, TargetInput{Year: 2024, Name: "客运班线公交化改造", DepartmentCode: "JTYST", Unit: "条", Quantity: 91, Deadline: "2024-06-30"})
		if err != nil {
			t.Fatal(err)
		}
		_, err = svc.ReportProgress(ctx, other, sewage.ID, ReportInput{DoneQuantity: 10})
		if e := apperr.As(err); e == nil || e.Reason != "out_of_scope" {
			t.Fatalf("other department reports: %v", err)
		}
		got, err := svc.ReportProgress(ctx, env, sewage.ID, ReportInput{DoneQuantity: 515, Note: "超额完成", EvidenceSHA256: "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", EvidenceName: "验收表.pdf"})
		if err != nil || got.Standing != DoneOnTime || got.DoneOn != "2024-07-31" {
			t.Fatalf("report: %+v %v", got, err)
		}
		if _, err := svc.ReportProgress(ctx, other, bus.ID, ReportInput{DoneQuantity: 80}); err != nil {
			t.Fatal(err)
		}
		list, err := svc.Year(ctx, 2024, "")
		if err != nil || len(list) != 2 {
			t.Fatalf("year: %+v %v", list, err)
		}
		byName := map[string]Target{}
		for _, tg := range list {
			byName[tg.Name] = tg
		}
		if b := byName["客运班线公交化改造"]; b.Standing != Overdue || b.Percent != 87 {
			t.Errorf("bus lines: %+v", b)
		}
		reports, _ := svc.Reports(ctx, sewage.ID)
		if len(reports) != 1 || reports[0].EvidenceName != "验收表.pdf" || reports[0].ActorName != "生态环境厅" {
			t.Errorf("reports: %+v", reports)
		}
		sum := Summarise(list)
		if len(sum) != 2 || sum[0].DepartmentCode != "JTYST" || sum[0].Overdue != 1 || sum[1].DoneOnTime != 1 || sum[1].OnTrack != 0 {
			t.Errorf("summary: %+v", sum)
		}
	})
}
