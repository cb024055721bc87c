package demo

import (
	"context"
	"slices"
	"testing"

	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/clock/clocktest"
	"github.com/onewindow/onewindow/enterprise"
	"github.com/onewindow/onewindow/store/storetest"
	"github.com/onewindow/onewindow/workday"
)

// The demo shows story 5 in three states: taken to the joint meeting by the
// scan, answered with a solution, and just raised; the team lead sees them.
func TestDemoEnterpriseRequests(t *testing.T) {
	db := storetest.SQLite(t)
	ctx := context.Background()
	if _, err := Load(ctx, db, clocktest.Now(t)); err != nil {
		t.Fatal(err)
	}
	lead, err := auth.NewStore(db).UserByUsername(ctx, EnterpriseAccounts()[0].Username)
	if err != nil {
		t.Fatal(err)
	}
	cal, err := workday.NewOfficial()
	if err != nil {
		t.Fatal(err)
	}
	svc := enterprise.NewService(db, cal, clocktest.Clock(t))
	list, total, err := svc.List(ctx, lead, enterprise.Filter{})
	if err != nil || total != 3 {
		t.Fatalf("the lead sees %d requests (%v), want 3", total, err)
	}
	var statuses []enterprise.Status
	for _, r := range list {
		statuses = append(statuses, r.Status)
		if r.TeamCode != EnterpriseTeam || r.Enterprise.Name != "吉林化纤示范有限公司" {
			t.Errorf("request %s: team %s, enterprise %s", r.Number, r.TeamCode, r.Enterprise.Name)
		}
	}
	slices.Sort(statuses)
	if want := []enterprise.Status{enterprise.Meeting, enterprise.Proposed, enterprise.Raised}; !slices.Equal(statuses, want) {
		t.Fatalf("statuses %v, want %v", statuses, want)
	}
	for _, r := range list {
		if r.Status != enterprise.Meeting {
			continue
		}
		d, err := svc.Get(ctx, lead, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(d.Escalations) != 3 || d.EscalationLevel != 3 || d.MeetingOn != d.MeetingDue {
			t.Errorf("the unanswered request: level %d, %d escalations, meeting on %q", d.EscalationLevel, len(d.Escalations), d.MeetingOn)
		}
	}
}
