package cases_test

import (
	"context"
	"strings"
	"testing"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/audit"
	"github.com/onewindow/onewindow/cases"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/store/storetest"
)

func TestQueryCodeShape(t *testing.T) {
	for _, tc := range []struct {
		typed, want string
		valid       bool
	}{
		{"K7QM3XPA", "K7QM3XPA", true},
		{" k7qm-3xpa ", "K7QM3XPA", true},
		{"K7QM 3XPA", "K7QM3XPA", true},
		{"K7QM3XP", "K7QM3XP", false},   // too short
		{"K7QM3XP0", "K7QM3XP0", false}, // 0 is not in the alphabet
		{"K7QM3XPI", "K7QM3XPI", false}, // nor I
	} {
		got := cases.NormalizeQueryCode(tc.typed)
		if got != tc.want || cases.ValidQueryCode(got) != tc.valid {
			t.Errorf("%q: normalised %q valid %v, want %q %v", tc.typed, got, cases.ValidQueryCode(got), tc.want, tc.valid)
		}
	}
}

// A walk-in case is followed with its number and query code alone: the
// state, the steps, the one-time notice's missing materials, a masked name.
func TestTrackWithTheReceiptsCode(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		f.at("2026-11-23")
		ctx := context.Background()
		c := f.walkIn(t, "id_card")
		code, err := f.svc.QueryCode(ctx, f.front, c.ID)
		if err != nil || !cases.ValidQueryCode(code) {
			t.Fatalf("query code %q: %v", code, err)
		}
		if again, _ := f.svc.QueryCode(ctx, f.appl, c.ID); again != code {
			t.Fatalf("the applicant sees code %q, the desk %q", again, code)
		}
		if _, err := f.svc.QueryCode(ctx, f.stranger, c.ID); apperr.CodeOf(err) != apperr.NotFound {
			t.Fatalf("another applicant asking for the code: %v, want not found", err)
		}
		c = f.act(t, f.front, c, cases.NotifyMissing, cases.ActRequest{})

		tr, err := f.svc.Track(ctx, strings.ToLower(c.Number), strings.ToLower(code[:4]+"-"+code[4:]), "192.0.2.1")
		if err != nil {
			t.Fatal(err)
		}
		if tr.Number != c.Number || tr.State != cases.SupplementNeeded || tr.Applicant != "何**" {
			t.Fatalf("tracking %+v", tr)
		}
		if len(tr.Steps) != 2 || tr.Steps[0].Action != "create" || tr.Steps[1].Action != string(cases.NotifyMissing) {
			t.Fatalf("steps %+v", tr.Steps)
		}
		// 一次性告知 names every missing material at once, waivable ones too.
		if len(tr.Missing) != 2 || tr.Missing[0].Type != "diagnosis" || tr.Missing[1].Type != "medical_record" || tr.MissingDue == "" {
			t.Fatalf("missing %+v due %q, want the diagnosis and the record with a date", tr.Missing, tr.MissingDue)
		}

		// Supplied and accepted with 容缺: the waived record is what is missing now.
		c = f.act(t, f.front, c, cases.Supplement, cases.ActRequest{Materials: []string{"diagnosis"}})
		c = f.act(t, f.front, c, cases.Accept, cases.ActRequest{WaiverDays: 3})
		tr, err = f.svc.Track(ctx, c.Number, code, "192.0.2.1")
		if err != nil {
			t.Fatal(err)
		}
		if tr.State != cases.Accepted || tr.PromisedDue != c.PromisedDue || len(tr.Missing) != 1 || tr.Missing[0].Type != "medical_record" {
			t.Fatalf("after 容缺 acceptance: %+v", tr)
		}
	})
}

// A wrong code and an unknown number get the same answer; ten wrong tries
// from one client lock it out, the right code too, and the lock-out is audited.
func TestTrackWrongCodesAreLimited(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		f.at("2026-11-23")
		ctx := context.Background()
		c := f.walkIn(t, "id_card")
		code, err := f.svc.QueryCode(ctx, f.front, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		wrong := "ABCDEFGH"
		if wrong == code {
			wrong = "HGFEDCBA"
		}
		if _, err := f.svc.Track(ctx, "", "12", "192.0.2.9"); len(apperr.As(err).Fields) != 2 {
			t.Fatalf("empty number and short code: %v, want two field errors", err)
		}
		_, errWrong := f.svc.Track(ctx, c.Number, wrong, "192.0.2.9")
		_, errUnknown := f.svc.Track(ctx, "HNZWFW-20990101-00001", code, "192.0.2.9")
		if apperr.As(errWrong).Reason != "track_mismatch" || apperr.As(errUnknown).Reason != "track_mismatch" ||
			apperr.As(errWrong).Message != apperr.As(errUnknown).Message {
			t.Fatalf("wrong code %v, unknown number %v: want the same answer", errWrong, errUnknown)
		}
		for i := 2; i < cases.TrackFailuresPerClient; i++ {
			if _, err := f.svc.Track(ctx, c.Number, wrong, "192.0.2.9"); apperr.As(err).Reason != "track_mismatch" {
				t.Fatalf("wrong try %d: %v", i+1, err)
			}
		}
		_, err = f.svc.Track(ctx, c.Number, code, "192.0.2.9")
		if ae := apperr.As(err); ae.Code != apperr.RateLimited || ae.Extra["retry_after"] == nil {
			t.Fatalf("right code after %d wrong ones: %v, want rate limited", cases.TrackFailuresPerClient, err)
		}
		// Another client still gets through with the right code.
		if _, err := f.svc.Track(ctx, c.Number, code, "192.0.2.10"); err != nil {
			t.Fatalf("another client: %v", err)
		}
		recs, err := audit.List(ctx, db, audit.Filter{Object: "case:" + c.Number})
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, r := range recs {
			if r.Action == "case.track" && r.Outcome == audit.Denied && r.IP == "192.0.2.9" {
				found = true
			}
		}
		if !found {
			t.Fatalf("no audited lock-out among %+v", recs)
		}
	})
}
