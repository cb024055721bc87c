package rating_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/cases"
	"github.com/onewindow/onewindow/rating"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/store/storetest"
)

// An applicant rates their case once it is issued, changes the rating
// within 7 days and not after; nobody else rates it for them.
func TestRateCase(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		open, err := f.cases.Create(ctx, f.desk, caseReq(f.yu))
		if err != nil {
			t.Fatal(err)
		}
		_, err = f.svc.RateCase(ctx, f.yu, open.ID, rating.RateRequest{Level: 5})
		wantReason(t, "rating a case not yet decided", err, "not_ratable")

		c := f.issuedCase(f.yu)
		_, err = f.svc.RateCase(ctx, f.zhou, c.ID, rating.RateRequest{Level: 1})
		wantReason(t, "another applicant", err, "rating_subject_not_found")
		_, err = f.svc.RateCase(ctx, f.desk2, c.ID, rating.RateRequest{Level: 5})
		wantReason(t, "staff rating online", err, "role_not_allowed")

		comment := `<script>alert("差")</script> 窗口'很好'`
		r, err := f.svc.RateCase(ctx, f.yu, c.ID, rating.RateRequest{Level: 4, Tags: []string{"efficiency"}, Comment: comment})
		if err != nil {
			t.Fatal(err)
		}
		if r.Level != rating.Satisfied || r.Channel != rating.ChannelWeb || r.Comment != comment || r.SubjectRef != c.Number ||
			r.Department != deptRS || r.Point != hallPt || r.StaffID == nil || *r.StaffID != f.desk.ID || r.FollowUpID != nil || !r.RealName {
			t.Fatalf("rating %+v", r)
		}
		if r.Month != "2026-11" {
			t.Errorf("month %q", r.Month)
		}
		// Changed within 7 days: the same rating, now bad, with a follow-up.
		f.clock.set(at(2026, 11, 30, 9, 0))
		r2, err := f.svc.RateCase(ctx, f.yu, c.ID, rating.RateRequest{Level: 2, Tags: []string{"attitude"}})
		if err != nil {
			t.Fatal(err)
		}
		if r2.ID != r.ID || r2.Amendments != 1 || r2.Level != rating.Dissatisfied || r2.FollowUpID == nil || r2.Comment != "" {
			t.Fatalf("amended %+v", r2)
		}
		// Staff record a call for a case rated already: refused, and the
		// desk that accepted it could not record it at all.
		_, err = f.svc.RecordPhone(ctx, f.desk2, rating.PhoneRequest{CaseNumber: c.Number, RateRequest: rating.RateRequest{Level: 5}})
		wantReason(t, "a phone rating of a rated case", err, "already_rated")
		_, err = f.svc.RecordPhone(ctx, f.desk, rating.PhoneRequest{CaseNumber: c.Number, RateRequest: rating.RateRequest{Level: 5}})
		wantReason(t, "the desk that accepted it", err, "own_work")
		// Turned good again: the follow-up is withdrawn.
		r3, err := f.svc.RateCase(ctx, f.yu, c.ID, rating.RateRequest{Level: 5})
		if err != nil {
			t.Fatal(err)
		}
		d, err := f.svc.GetFollowUp(ctx, f.admin, *r2.FollowUpID)
		if err != nil || d.Status != rating.Withdrawn || r3.Amendments != 2 {
			t.Fatalf("after turning good: %+v, %v", d.FollowUp, err)
		}
		// Past 7 days: no more changes.
		f.clock.set(r.CreatedAt.Add(7*24*time.Hour + time.Minute))
		_, err = f.svc.RateCase(ctx, f.yu, c.ID, rating.RateRequest{Level: 1})
		wantReason(t, "changing after 7 days", err, "amend_window_closed")
		if n := f.auditCount("rating.rate") + f.auditCount("rating.amend"); n != 3 {
			t.Errorf("%d audit records of ratings, want 3", n)
		}
	})
}

// A bad rating opens a follow-up on the working-day clock; the department
// calls back and puts it right, the rater confirms; overdue steps escalate
// once each.
func TestFollowUp(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		f.clock.set(at(2026, 9, 29, 10, 0))
		c := f.issuedCase(f.yu)
		f.clock.set(at(2026, 9, 30, 16, 0)) // the eve of National Day
		r, err := f.svc.RateCase(ctx, f.yu, c.ID, rating.RateRequest{Level: 1, Comment: "等了两个小时"})
		if err != nil {
			t.Fatal(err)
		}
		d, err := f.svc.GetFollowUp(ctx, f.rev, *r.FollowUpID)
		if err != nil {
			t.Fatal(err)
		}
		if d.Status != rating.Open || d.ContactDue != "2026-10-08" || d.RectifyDue != "2026-10-27" || d.ResponsibleKind != "department" ||
			d.ResponsibleCode != deptRS || d.Party != rating.PartyResponsible || d.Rating.RaterPhone != f.yu.Phone {
			t.Fatalf("follow-up %+v", d)
		}
		if got := f.outbox("rating.followup.opened"); len(got) != 2 || got[0]["recipient"] != "department:"+deptRS+":reviewers" {
			t.Errorf("opening told %v", got)
		}
		// Who sees it: the department and the hall (masked), the rater, an admin.
		for _, tc := range []struct {
			who  auth.User
			want string
		}{{f.rev2, "out_of_scope"}, {f.mgr2, "out_of_scope"}, {f.desk, "out_of_scope"}, {f.zhou, "followup_not_found"}} {
			_, err := f.svc.GetFollowUp(ctx, tc.who, d.ID)
			wantReason(t, tc.who.Username+" opens the follow-up", err, tc.want)
		}
		if v, err := f.svc.GetFollowUp(ctx, f.mgr, d.ID); err != nil || v.Party != rating.PartyViewer || v.Rating.RaterPhone == f.yu.Phone || len(v.Allowed) != 0 {
			t.Errorf("hall manager sees %+v, %v", v.Rating, err)
		}
		// The scan on the holiday finds nothing due; on 9 October the call-back is late.
		for _, day := range []time.Time{at(2026, 10, 3, 9, 0), at(2026, 10, 8, 18, 0)} {
			rep, err := f.svc.Scan(ctx, day)
			if err != nil || len(rep.Escalations) != 0 {
				t.Fatalf("scan on %s: %+v, %v", day.Format(time.DateOnly), rep, err)
			}
		}
		rep, err := f.svc.Scan(ctx, at(2026, 10, 9, 8, 0))
		if err != nil || len(rep.Escalations) != 1 || rep.Escalations[0].Level != rating.LevelContact {
			t.Fatalf("scan on 9 October: %+v, %v", rep, err)
		}
		if rep, _ := f.svc.Scan(ctx, at(2026, 10, 9, 8, 5)); len(rep.Escalations) != 0 {
			t.Fatalf("a second scan escalated again: %+v", rep)
		}
		f.clock.set(at(2026, 10, 9, 9, 0))
		_, err = f.svc.ActFollowUp(ctx, f.rev, d.ID, rating.Contact, rating.ActRequest{})
		wantReason(t, "a call-back without a note", err, "validation_failed")
		_, err = f.svc.ActFollowUp(ctx, f.rev, d.ID, rating.Rectify, rating.ActRequest{Note: "x"})
		wantReason(t, "putting right before calling back", err, "illegal_transition")
		_, err = f.svc.ActFollowUp(ctx, f.yu, d.ID, rating.Confirm, rating.ActRequest{})
		wantReason(t, "the rater confirming too early", err, "illegal_transition")
		d, err = f.svc.ActFollowUp(ctx, f.rev, d.ID, rating.Contact, rating.ActRequest{Note: "电话回访，于女士反映取号后等候过久"})
		if err != nil || d.Status != rating.Contacted {
			t.Fatalf("contact: %+v, %v", d.FollowUp, err)
		}
		old := d.Version
		f.clock.set(at(2026, 10, 20, 9, 0))
		d, err = f.svc.ActFollowUp(ctx, f.rev, d.ID, rating.Rectify, rating.ActRequest{Version: &old, Note: "增开午间窗口，公示等候时间"})
		if err != nil || d.Status != rating.Rectified || d.OnTime {
			t.Fatalf("rectify: %+v, %v (the call-back was late: not on time)", d.FollowUp, err)
		}
		_, err = f.svc.ActFollowUp(ctx, f.rev, d.ID, rating.Confirm, rating.ActRequest{})
		wantReason(t, "the department confirming for the rater", err, "party_not_allowed")
		_, err = f.svc.ActFollowUp(ctx, f.rev, d.ID, rating.Contest, rating.ActRequest{Version: &old, Note: "x"})
		wantReason(t, "a stale version", err, "followup_version_conflict")
		d, err = f.svc.ActFollowUp(ctx, f.yu, d.ID, rating.Confirm, rating.ActRequest{Note: "满意"})
		if err != nil || d.Status != rating.Confirmed || d.EndedAt == nil {
			t.Fatalf("confirm: %+v, %v", d.FollowUp, err)
		}
		if len(d.History) != 5 { // open, escalate, contact, rectify, confirm
			t.Errorf("history %+v", d.History)
		}
		if rep, _ := f.svc.Scan(ctx, at(2026, 11, 30, 8, 0)); len(rep.Escalations) != 0 {
			t.Errorf("a confirmed follow-up escalated: %+v", rep)
		}
		if n := f.auditCount("rating_followup.contact") + f.auditCount("rating_followup.rectify") + f.auditCount("rating_followup.confirm") +
			f.auditCount("rating_followup.escalate"); n != 4 {
			t.Errorf("%d audit records of the follow-up, want 4", n)
		}
	})
}

// An unfair rating is appealed and decided by an administrator: upheld,
// the rating is kept and marked and left out of the figures; rejected, the
// follow-up goes on where it was.
func TestAppeal(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		var followups []int64
		for _, who := range []auth.User{f.yu, f.zhou} {
			c := f.issuedCase(who)
			r, err := f.svc.RateCase(ctx, who, c.ID, rating.RateRequest{Level: 1, Comment: "不办了"})
			if err != nil {
				t.Fatal(err)
			}
			followups = append(followups, *r.FollowUpID)
		}
		_, err := f.svc.ActFollowUp(ctx, f.mgr, followups[0], rating.Appeal, rating.ActRequest{Note: "x"})
		wantReason(t, "a viewer appealing", err, "party_not_allowed")
		for _, id := range followups {
			if _, err := f.svc.ActFollowUp(ctx, f.rev, id, rating.Appeal, rating.ActRequest{Note: "评价与办件无关"}); err != nil {
				t.Fatal(err)
			}
		}
		_, err = f.svc.ActFollowUp(ctx, f.rev, followups[0], rating.UpholdAppeal, rating.ActRequest{})
		wantReason(t, "the department deciding its own appeal", err, "party_not_allowed")
		d, err := f.svc.ActFollowUp(ctx, f.admin, followups[0], rating.UpholdAppeal, rating.ActRequest{Note: "经复核，差评与服务无关"})
		if err != nil || d.Status != rating.Upheld || !d.Rating.AppealUpheld || d.Rating.Level != rating.VeryDissatisfied {
			t.Fatalf("upheld: %+v %+v, %v", d.FollowUp, d.Rating, err)
		}
		d, err = f.svc.ActFollowUp(ctx, f.admin, followups[1], rating.RejectAppeal, rating.ActRequest{})
		if err != nil || d.Status != rating.Open {
			t.Fatalf("rejected: %+v, %v", d.FollowUp, err)
		}
		fig, err := f.svc.Figures(ctx, f.admin, rating.FigureFilter{Month: "2026-11"})
		if err != nil {
			t.Fatal(err)
		}
		if fig.Total.Ratings != 1 || fig.Total.Upheld != 1 || fig.Total.Bad != 1 || *fig.Total.Satisfaction != 0 {
			t.Errorf("figures %+v", fig.Total)
		}
	})
}

func caseReq(a auth.User) cases.CreateRequest {
	return cases.CreateRequest{Item: itemRS, Applicant: &cases.Applicant{Kind: "person", Name: a.Name, IDNumber: a.IDNumber, Phone: a.Phone}}
}

// The figures of a month on known data, per point, department, window and
// staff member, and who may see them.
func TestFigures(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		// Visits at window 01 (served by f.desk): 5, 4, 2 on the web by
		// yu; a kiosk visit rated 3 on the pad.
		for _, level := range []int{5, 4, 2} {
			tk := f.visit(&f.yu)
			if _, err := f.svc.RateVisit(ctx, f.yu, hallPt, tk.ID, rating.RateRequest{Level: level}); err != nil {
				t.Fatal(err)
			}
		}
		tk := f.visit(nil)
		key := padKey(t, f)
		if _, err := f.svc.RateAtPad(ctx, hallPt, "01", key, tk.ID, rating.RateRequest{Level: 3}); err != nil {
			t.Fatal(err)
		}
		// A case of zhou's rated 1 by telephone, recorded by desk2.
		c := f.issuedCase(f.zhou)
		if _, err := f.svc.RecordPhone(ctx, f.desk2, rating.PhoneRequest{CaseNumber: c.Number, RateRequest: rating.RateRequest{Level: 1}}); err != nil {
			t.Fatal(err)
		}
		// A rating of another month is not counted.
		f.clock.set(at(2026, 12, 1, 10, 0))
		if _, err := f.svc.RateVisit(ctx, f.yu, hallPt, f.visit(&f.yu).ID, rating.RateRequest{Level: 1}); err != nil {
			t.Fatal(err)
		}
		fig, err := f.svc.Figures(ctx, f.mgr, rating.FigureFilter{Month: "2026-11"})
		if err != nil {
			t.Fatal(err)
		}
		// 5 ratings: 5, 4, 3 satisfied; 2 and 1 bad → 60%. yu can be
		// called back; zhou left no number and has no account.
		if fig.Total.Ratings != 5 || fig.Total.Satisfied != 3 || fig.Total.Bad != 2 || *fig.Total.Satisfaction != 0.6 ||
			fig.Total.FollowUps != 2 || fig.Total.Contactable != 1 || fig.Total.Contacted != 0 {
			t.Fatalf("total %+v", fig.Total)
		}
		if len(fig.Points) != 1 || fig.Points[0].Name != "辉南县政务服务中心" || fig.Points[0].Ratings != 5 {
			t.Errorf("points %+v", fig.Points)
		}
		if len(fig.Departments) != 1 || fig.Departments[0].Code != deptRS || fig.Departments[0].Ratings != 1 {
			t.Errorf("departments %+v", fig.Departments)
		}
		if len(fig.Windows) != 1 || fig.Windows[0].Code != "01" || fig.Windows[0].Name != "1号窗口" || fig.Windows[0].Ratings != 4 ||
			*fig.Windows[0].Satisfaction != 0.75 {
			t.Errorf("windows %+v", fig.Windows)
		}
		// f.desk served the four visits and accepted the case.
		if len(fig.Staff) != 1 || fig.Staff[0].Ratings != 5 {
			t.Errorf("staff %+v", fig.Staff)
		}
		dec, err := f.svc.Figures(ctx, f.admin, rating.FigureFilter{Month: "2026-12"})
		if err != nil || dec.Total.Ratings != 1 || *dec.Total.Satisfaction != 0 {
			t.Errorf("December %+v, %v", dec.Total, err)
		}
		// Reviewers see their department's cases only.
		if rf, err := f.svc.Figures(ctx, f.rev, rating.FigureFilter{Month: "2026-11"}); err != nil || rf.Total.Ratings != 1 {
			t.Errorf("reviewer's figures %+v, %v", rf.Total, err)
		}
		if rf, err := f.svc.Figures(ctx, f.rev2, rating.FigureFilter{Month: "2026-11"}); err != nil || rf.Total.Ratings != 0 {
			t.Errorf("another department's figures %+v, %v", rf.Total, err)
		}
		_, err = f.svc.Figures(ctx, f.mgr2, rating.FigureFilter{Month: "2026-11", Point: hallPt})
		wantReason(t, "another hall's manager", err, "out_of_scope")
		for _, who := range []auth.User{f.desk, f.issuer, f.yu} {
			_, err = f.svc.Figures(ctx, who, rating.FigureFilter{})
			wantReason(t, string(who.Role)+" asks for figures", err, "role_not_allowed")
		}
		_, err = f.svc.Figures(ctx, f.admin, rating.FigureFilter{Month: "2026-13"})
		wantReason(t, "a bad month", err, "validation_failed")
		pub, month, err := f.svc.Public(ctx, "2026-11")
		if err != nil || month != "2026-11" || len(pub) != 1 || pub[0].Ratings != 5 || *pub[0].Satisfaction != 0.6 {
			t.Errorf("public %+v, %v", pub, err)
		}
		// Lists in scope: the manager sees the point's five of November
		// and December's, masked; yu her own four.
		list, total, err := f.svc.List(ctx, f.mgr, rating.Filter{Month: "2026-11"})
		if err != nil || total != 5 || len(list) != 5 {
			t.Errorf("manager's list: %d, %v", total, err)
		}
		for _, r := range list {
			if r.RaterPhone != "" && strings.Contains(r.RaterPhone, "12345678") {
				t.Errorf("a whole number in a staff list: %q", r.RaterPhone)
			}
		}
		if _, total, _ := f.svc.List(ctx, f.yu, rating.Filter{}); total != 4 {
			t.Errorf("yu's list: %d, want 4", total)
		}
		if _, total, _ := f.svc.List(ctx, f.desk2, rating.Filter{}); total != 1 {
			t.Errorf("desk2's list (what it recorded): %d, want 1", total)
		}
	})
}

func padKey(t *testing.T, f *fixture) string {
	t.Helper()
	path, err := f.svc.PadPath(context.Background(), f.mgr, hallPt, "01")
	if err != nil {
		t.Fatal(err)
	}
	_, key, _ := strings.Cut(path, "?key=")
	return key
}

// The pad of a window offers the visit just finished there for 10 minutes,
// once; a wrong key or another window's visit is refused.
func TestPad(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		_, err := f.svc.PadPath(ctx, f.mgr2, hallPt, "01")
		wantReason(t, "another hall's manager asks for the pad", err, "role_not_allowed")
		_, err = f.svc.PadPath(ctx, f.desk, hallPt, "01")
		wantReason(t, "a front desk asks for the pad", err, "role_not_allowed")
		key := padKey(t, f)
		_, err = f.svc.Pad(ctx, hallPt, "02", key)
		wantReason(t, "window 01's key at window 02", err, "rating_pad_invalid")
		st, err := f.svc.Pad(ctx, hallPt, "01", key)
		if err != nil || st.TicketID != nil || st.WindowName != "1号窗口" {
			t.Fatalf("idle pad %+v, %v", st, err)
		}
		tk := f.visit(nil) // a kiosk ticket: nobody known
		st, err = f.svc.Pad(ctx, hallPt, "01", key)
		if err != nil || st.TicketID == nil || *st.TicketID != tk.ID || st.Number != tk.Number {
			t.Fatalf("pad after the visit %+v, %v", st, err)
		}
		_, err = f.svc.RateAtPad(ctx, hallPt, "01", "nokey", tk.ID, rating.RateRequest{Level: 5})
		wantReason(t, "a pad without its key", err, "rating_pad_invalid")
		_, err = f.svc.RateAtPad(ctx, hallPt, "01", key, tk.ID, rating.RateRequest{Level: 1, Phone: "123"})
		wantReason(t, "a bad number", err, "validation_failed")
		r, err := f.svc.RateAtPad(ctx, hallPt, "01", key, tk.ID, rating.RateRequest{Level: 2, Tags: []string{"premises"}})
		if err != nil || r.Channel != rating.ChannelPad || r.RealName || r.Window != "01" || r.FollowUpID == nil {
			t.Fatalf("pad rating %+v, %v", r, err)
		}
		// Nobody to call back: the follow-up waits for the rectification only.
		d, err := f.svc.GetFollowUp(ctx, f.mgr, *r.FollowUpID)
		if err != nil || d.Status != rating.Contacted || d.ContactPossible || d.ContactDue != "" || d.Party != rating.PartyResponsible {
			t.Fatalf("anonymous follow-up %+v, %v", d.FollowUp, err)
		}
		_, err = f.svc.RateAtPad(ctx, hallPt, "01", key, tk.ID, rating.RateRequest{Level: 5})
		wantReason(t, "the pad rating twice", err, "already_rated")
		if st, _ := f.svc.Pad(ctx, hallPt, "01", key); st.TicketID != nil {
			t.Errorf("a rated visit is still offered: %+v", st)
		}
		// The next visit, 11 minutes after it finished: too late.
		tk2 := f.visit(&f.zhou)
		f.clock.set(f.clock.Now().Add(11 * time.Minute))
		if st, _ := f.svc.Pad(ctx, hallPt, "01", key); st.TicketID != nil {
			t.Errorf("a visit finished 11 minutes ago is offered: %+v", st)
		}
		_, err = f.svc.RateAtPad(ctx, hallPt, "01", key, tk2.ID, rating.RateRequest{Level: 5})
		wantReason(t, "rating after 10 minutes", err, "pad_window_closed")
		// ... but zhou may still rate his own visit signed in.
		if _, err := f.svc.RateVisit(ctx, f.zhou, hallPt, tk2.ID, rating.RateRequest{Level: 5}); err != nil {
			t.Fatal(err)
		}
		_, err = f.svc.RateVisit(ctx, f.yu, hallPt, tk2.ID, rating.RateRequest{Level: 1})
		wantReason(t, "rating someone else's visit", err, "rating_subject_not_found")
		// One pad cannot rate in bulk.
		f.svc.Clients.Max = 0
		_, err = f.svc.RateAtPad(ctx, hallPt, "01", key, tk2.ID, rating.RateRequest{Level: 5})
		wantReason(t, "a pad over its limit", err, "too_many_ratings")
	})
}

// The signed link rates the case it names without signing in; a case
// issued three days ago gets one invitation with such a link.
func TestLinkAndInvitation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		f.svc.PublicURL = "https://zwfw.example.cn"
		f.clock.set(at(2026, 11, 20, 15, 0)) // Friday
		c := f.issuedCase(f.yu)
		rated := f.issuedCase(f.zhou)
		if _, err := f.svc.RateCase(ctx, f.zhou, rated.ID, rating.RateRequest{Level: 5}); err != nil {
			t.Fatal(err)
		}
		for _, day := range []time.Time{at(2026, 11, 21, 9, 0), at(2026, 11, 22, 23, 59)} {
			rep, err := f.svc.Scan(ctx, day)
			if err != nil || len(rep.Invitations) != 0 {
				t.Fatalf("scan on %s invited %v, %v", day, rep.Invitations, err)
			}
		}
		rep, err := f.svc.Scan(ctx, at(2026, 11, 23, 0, 0))
		if err != nil || len(rep.Invitations) != 1 || rep.Invitations[0] != c.ID {
			t.Fatalf("scan three days after: %+v, %v", rep, err)
		}
		if rep, _ := f.svc.Scan(ctx, at(2026, 11, 24, 10, 0)); len(rep.Invitations) != 0 {
			t.Fatalf("invited twice: %+v", rep)
		}
		inv := f.outbox("rating.invite")
		if len(inv) != 1 || inv[0]["recipient"] != "phone:"+f.yu.Phone || inv[0]["case"] != c.Number {
			t.Fatalf("invitations %+v", inv)
		}
		link := inv[0]["link"].(string)
		token, ok := strings.CutPrefix(link, "https://zwfw.example.cn/rate/")
		if !ok {
			t.Fatalf("link %q", link)
		}
		f.clock.set(at(2026, 11, 25, 9, 0))
		st, err := f.svc.Link(ctx, token)
		if err != nil || st.CaseNumber != c.Number || !st.CanRate || st.Rating != nil || st.PointName != "辉南县政务服务中心" {
			t.Fatalf("link state %+v, %v", st, err)
		}
		// The forged token differs in its last character whatever that was
		// (the key is random, so the last character is "x" one time in 64).
		forged := token[:len(token)-1] + "x"
		if strings.HasSuffix(token, "x") {
			forged = token[:len(token)-1] + "y"
		}
		_, err = f.svc.RateByLink(ctx, forged, rating.RateRequest{Level: 5}, "198.51.100.7")
		wantReason(t, "a forged link", err, "rating_link_invalid")
		r, err := f.svc.RateByLink(ctx, token, rating.RateRequest{Level: 4, Comment: "快"}, "198.51.100.7")
		if err != nil || r.Channel != rating.ChannelLink || r.CaseID == nil || *r.CaseID != c.ID || r.RaterName != f.yu.Name {
			t.Fatalf("link rating %+v, %v", r, err)
		}
		r, err = f.svc.RateByLink(ctx, token, rating.RateRequest{Level: 5}, "198.51.100.7")
		if err != nil || r.Amendments != 1 {
			t.Fatalf("changed through the link: %+v, %v", r, err)
		}
		f.clock.set(at(2026, 12, 24, 9, 0)) // past the link's 30 days
		_, err = f.svc.Link(ctx, token)
		wantReason(t, "an expired link", err, "rating_link_invalid")
		f.clock.set(at(2026, 11, 25, 9, 30))
		f.svc.Clients.Max = 2
		for i := 0; i < 2; i++ {
			if _, err := f.svc.RateByLink(ctx, token, rating.RateRequest{Level: 5}, "198.51.100.8"); err != nil {
				t.Fatal(err)
			}
		}
		_, err = f.svc.RateByLink(ctx, token, rating.RateRequest{Level: 5}, "198.51.100.8")
		wantReason(t, "one client rating in bulk", err, "too_many_ratings")
	})
}
