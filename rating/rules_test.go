package rating

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/cases"
	"github.com/onewindow/onewindow/workday"
)

var cst = time.FixedZone("CST", 8*3600)

func TestLevels(t *testing.T) {
	for _, tc := range []struct {
		in        string
		want      Level
		ok        bool
		bad, good bool
	}{
		{"5", VerySatisfied, true, false, true},
		{"非常满意", VerySatisfied, true, false, true},
		{"satisfied", Satisfied, true, false, true},
		{"基本满意", FairlySatisfied, true, false, true},
		{"2", Dissatisfied, true, true, false},
		{"very_dissatisfied", VeryDissatisfied, true, true, false},
		{"非常不满意", VeryDissatisfied, true, true, false},
		{"0", 0, false, false, false},
		{"6", 6, false, false, false},
		{"meh", 0, false, false, false},
	} {
		got, ok := ParseLevel(tc.in)
		if ok != tc.ok || (ok && got != tc.want) {
			t.Errorf("ParseLevel(%q) = %d, %v; want %d, %v", tc.in, got, ok, tc.want, tc.ok)
			continue
		}
		if ok && (got.Bad() != tc.bad || got.Satisfied() != tc.good) {
			t.Errorf("%q: bad %v satisfied %v, want %v %v", tc.in, got.Bad(), got.Satisfied(), tc.bad, tc.good)
		}
	}
	for _, l := range Levels {
		if l.Bad() == l.Satisfied() {
			t.Errorf("level %d is both or neither bad and satisfied", l)
		}
	}
}

func TestSatisfactionArithmetic(t *testing.T) {
	if Satisfaction(0, 0) != nil {
		t.Error("no ratings must give no rate, not 0% or 100%")
	}
	for _, tc := range []struct {
		satisfied, all int
		want           float64
	}{{3, 4, 0.75}, {0, 5, 0}, {7, 7, 1}, {2, 3, 2.0 / 3}} {
		if got := Satisfaction(tc.satisfied, tc.all); got == nil || *got != tc.want {
			t.Errorf("Satisfaction(%d, %d) = %v, want %v", tc.satisfied, tc.all, got, tc.want)
		}
	}
	// The figures' counting, on known ratings: 2 非常满意, 1 满意, 1 基本满意,
	// 1 不满意 (followed up on time), 1 非常不满意 (an appeal upheld: left out).
	var c Counts
	rows := []row{
		{level: 5}, {level: 5}, {level: 4}, {level: 3},
		{level: 2, hasFollowUp: true, status: Confirmed, contactPossible: true, contactDue: "2026-11-25", rectifyDue: "2026-12-15",
			contacted: "2026-11-25", rectified: "2026-12-01"},
		{level: 1, upheld: true, hasFollowUp: true, status: Upheld},
	}
	for i := range rows {
		c.add(&rows[i])
	}
	c.finish()
	if c.Ratings != 5 || c.Satisfied != 4 || c.Bad != 1 || c.Upheld != 1 || *c.Satisfaction != 0.8 {
		t.Errorf("counts %+v, want 5 ratings, 4 satisfied (80%%), 1 bad, 1 upheld", c)
	}
	if c.FollowUps != 1 || c.Contacted != 1 || c.Rectified != 1 || c.OnTime != 1 || *c.RectifyRate != 1 {
		t.Errorf("follow-up counts %+v", c)
	}
	if c.ByLevel != [6]int{0, 0, 1, 1, 1, 2} {
		t.Errorf("by level %v", c.ByLevel)
	}
}

func TestTimeWindows(t *testing.T) {
	rated := time.Date(2026, 11, 24, 10, 0, 0, 0, cst)
	for _, tc := range []struct {
		at   time.Time
		want bool
	}{
		{rated, true},
		{rated.Add(7*24*time.Hour - time.Second), true},
		{rated.Add(7 * 24 * time.Hour), true},
		{rated.Add(7*24*time.Hour + time.Second), false},
		{rated.Add(-time.Second), false},
	} {
		if got := MayAmend(rated, tc.at); got != tc.want {
			t.Errorf("MayAmend at %v = %v, want %v", tc.at.Sub(rated), got, tc.want)
		}
	}
	finished := rated
	for _, tc := range []struct {
		after time.Duration
		want  bool
	}{{0, true}, {9 * time.Minute, true}, {10 * time.Minute, true}, {10*time.Minute + time.Second, false}, {-time.Second, false}} {
		if got := PadMayRate(finished, finished.Add(tc.after)); got != tc.want {
			t.Errorf("PadMayRate after %v = %v, want %v", tc.after, got, tc.want)
		}
	}
	if PadMayRate(time.Time{}, rated) {
		t.Error("a ticket never finished cannot be rated on the pad")
	}
}

func TestRatableCase(t *testing.T) {
	ratable := map[cases.State]bool{cases.Issued: true, cases.Closed: true, cases.Refused: true, cases.NotAccepted: true}
	for _, st := range cases.States {
		if got := RatableCase(st, false); got != ratable[st] {
			t.Errorf("RatableCase(%s) = %v, want %v", st, got, ratable[st])
		}
	}
	if !RatableCase(cases.ReadyForIssue, true) || RatableCase(cases.ReadyForIssue, false) {
		t.Error("a refusal waiting at the issuing window is ratable; an approval is not until issued")
	}
	if !RatableVisit("done") || RatableVisit("serving") || RatableVisit("no_show") {
		t.Error("only a visit served to its end is ratable")
	}
}

func TestWhoRates(t *testing.T) {
	applicant := auth.User{ID: 7, Role: auth.RoleApplicant, Kind: auth.KindPerson}
	desk := auth.User{ID: 8, Role: auth.RoleFrontDesk, PointCode: "P1"}
	for name, tc := range map[string]struct {
		err    error
		reason string
	}{
		"owner online":              {MayRateOnline(applicant, true), ""},
		"not the owner":             {MayRateOnline(applicant, false), "rating_subject_not_found"},
		"staff online":              {MayRateOnline(desk, true), "role_not_allowed"},
		"disabled applicant":        {MayRateOnline(auth.User{ID: 7, Role: auth.RoleApplicant, Disabled: true}, true), "role_not_allowed"},
		"desk records a call":       {MayRecordByPhone(desk, "P1", []int64{3, 4}), ""},
		"desk of another point":     {MayRecordByPhone(desk, "P2", nil), "out_of_scope"},
		"desk who served it":        {MayRecordByPhone(desk, "P1", []int64{8}), "own_work"},
		"reviewer records a call":   {MayRecordByPhone(auth.User{ID: 9, Role: auth.RoleReviewer}, "P1", nil), "role_not_allowed"},
		"admin records a call":      {MayRecordByPhone(auth.User{ID: 1, Role: auth.RoleAdmin}, "P9", nil), ""},
		"admin who served it":       {MayRecordByPhone(auth.User{ID: 1, Role: auth.RoleAdmin}, "P9", []int64{1}), "own_work"},
		"applicant records a call":  {MayRecordByPhone(applicant, "P1", nil), "role_not_allowed"},
		"hall manager records call": {MayRecordByPhone(auth.User{ID: 5, Role: auth.RoleHallManager, PointCode: "P1"}, "P1", nil), "role_not_allowed"},
	} {
		got := ""
		if tc.err != nil {
			got = apperr.As(tc.err).Reason
		}
		if got != tc.reason {
			t.Errorf("%s: %q, want %q", name, got, tc.reason)
		}
	}
}

func TestRateRequestValidation(t *testing.T) {
	r := RateRequest{Level: 2, Tags: []string{"平台", "attitude", "attitude"}, Comment: "  <b>排队太久</b> & 态度差  "}
	tags, err := r.validate()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(tags, []Tag{TagAttitude, TagPlatform}) {
		t.Errorf("tags %v, want attitude and platform once each, in form order", tags)
	}
	if r.Comment != "<b>排队太久</b> & 态度差" {
		t.Errorf("comment %q: must be kept verbatim (only outer space trimmed)", r.Comment)
	}
	bad := RateRequest{Level: 0, Tags: []string{"noise"}, Comment: strings.Repeat("长", MaxCommentLen+1)}
	_, err = bad.validate()
	fields := map[string]bool{}
	for _, f := range apperr.As(err).Fields {
		fields[f.Field] = true
	}
	for _, want := range []string{"level", "tags[0]", "comment"} {
		if !fields[want] {
			t.Errorf("no error for %s in %v", want, err)
		}
	}
	if tags := decodeTags(encodeTags([]Tag{TagProcess, TagPremises})); !slices.Equal(tags, []Tag{TagProcess, TagPremises}) {
		t.Errorf("tags do not survive storage: %v", tags)
	}
}

// The follow-up clock counts working days on the official calendar from
// the day after the rating, across 国庆 2026 (10月1日至7日, 10月10日 Saturday
// worked) and a 调休 Saturday (2026-02-28, worked after the Spring Festival).
func TestFollowUpClock(t *testing.T) {
	cal, err := workday.NewOfficial()
	if err != nil {
		t.Fatal(err)
	}
	def := DefaultSettings()
	for name, tc := range map[string]struct {
		opened          time.Time
		st              Settings
		contactPossible bool
		contact, fix    string
	}{
		"before National Day": {time.Date(2026, 9, 30, 16, 0, 0, 0, cst), def, true, "2026-10-08", "2026-10-27"},
		// 23:30 UTC on 29 September is already 30 September in China.
		"late at night, UTC": {time.Date(2026, 9, 29, 23, 30, 0, 0, time.UTC), def, true, "2026-10-08", "2026-10-27"},
		"into a 调休 Saturday": {time.Date(2026, 2, 27, 10, 0, 0, 0, cst), def, true, "2026-02-28", "2026-03-19"},
		"on a holiday":       {time.Date(2026, 10, 3, 10, 0, 0, 0, cst), def, true, "2026-10-08", "2026-10-27"},
		"nobody to call":     {time.Date(2026, 11, 24, 10, 0, 0, 0, cst), def, false, "", "2026-12-15"},
		"a province's own days": {time.Date(2026, 11, 24, 10, 0, 0, 0, cst), Settings{ContactDays: 2, RectifyDays: 10},
			true, "2026-11-26", "2026-12-08"},
	} {
		d := DueDates(cal, tc.opened, tc.st, tc.contactPossible)
		if d.ContactDue != tc.contact || d.RectifyDue != tc.fix || d.Fallback {
			t.Errorf("%s: call back by %q, put right by %q (fallback %v); want %q, %q", name, d.ContactDue, d.RectifyDue, d.Fallback, tc.contact, tc.fix)
		}
	}
	if d := DueDates(cal, time.Date(2030, 6, 3, 10, 0, 0, 0, cst), def, true); !d.Fallback {
		t.Error("a date past the holiday data must be flagged")
	}
}

func TestDueLevelsAndOnTime(t *testing.T) {
	for _, tc := range []struct {
		status Status
		today  string
		want   []int
	}{
		{Open, "2026-10-08", nil},
		{Open, "2026-10-09", []int{LevelContact}},
		{Open, "2026-10-28", []int{LevelContact, LevelRectify}},
		{Contacted, "2026-10-27", nil},
		{Contacted, "2026-10-28", []int{LevelRectify}},
		{Contested, "2026-10-28", []int{LevelRectify}},
		{Rectified, "2026-11-30", nil},
		{Appealed, "2026-11-30", nil},
		{Confirmed, "2026-11-30", nil},
	} {
		if got := DueLevels(tc.status, "2026-10-08", "2026-10-27", tc.today); !slices.Equal(got, tc.want) {
			t.Errorf("%s on %s: %v, want %v", tc.status, tc.today, got, tc.want)
		}
	}
	if got := DueLevels(Open, "", "2026-10-27", "2026-10-20"); got != nil {
		t.Errorf("nobody to call back cannot be late calling back: %v", got)
	}
	for _, tc := range []struct {
		contacted, rectified string
		want                 bool
	}{
		{"2026-10-08", "2026-10-27", true},
		{"2026-10-09", "2026-10-20", false},
		{"2026-10-08", "2026-10-28", false},
		{"2026-10-08", "", false},
		{"", "2026-10-20", false},
	} {
		if got := OnTime("2026-10-08", "2026-10-27", tc.contacted, tc.rectified); got != tc.want {
			t.Errorf("OnTime(%q, %q) = %v", tc.contacted, tc.rectified, got)
		}
	}
	if !OnTime("", "2026-10-27", "", "2026-10-27") {
		t.Error("with nobody to call back, putting it right by its day is on time")
	}
}

// Every status × action × party of a follow-up.
func TestFollowUpLifecycle(t *testing.T) {
	type key struct {
		s Status
		a Action
		p Party
	}
	allowed := map[key]Status{
		{Open, Contact, PartyResponsible}: Contacted, {Open, Contact, PartyAdmin}: Contacted,
		{Contacted, Rectify, PartyResponsible}: Rectified, {Contacted, Rectify, PartyAdmin}: Rectified,
		{Contested, Rectify, PartyResponsible}: Rectified, {Contested, Rectify, PartyAdmin}: Rectified,
		{Rectified, Confirm, PartyRater}: Confirmed, {Rectified, Contest, PartyRater}: Contested,
		{Open, Appeal, PartyResponsible}: Appealed, {Contacted, Appeal, PartyResponsible}: Appealed, {Contested, Appeal, PartyResponsible}: Appealed,
		{Appealed, UpholdAppeal, PartyAdmin}: Upheld, {Appealed, RejectAppeal, PartyAdmin}: "",
	}
	parties := []Party{PartyNone, PartyResponsible, PartyViewer, PartyRater, PartyAdmin}
	for _, s := range Statuses {
		for _, a := range Actions {
			for _, p := range parties {
				got, err := Next(s, a, p)
				want, ok := allowed[key{s, a, p}]
				switch {
				case ok && (err != nil || got != want):
					t.Errorf("%s × %s × %q = %q, %v; want %q", s, a, p, got, err, want)
				case !ok && err == nil:
					t.Errorf("%s × %s × %q allowed (→ %q); must be refused", s, a, p, got)
				case !ok && p == PartyNone && apperr.CodeOf(err) != apperr.NotFound:
					t.Errorf("%s × %s by nobody: %v, want not found", s, a, err)
				}
			}
		}
	}
	for _, s := range Statuses {
		if s.Final() && len(Allowed(s, PartyAdmin))+len(Allowed(s, PartyResponsible))+len(Allowed(s, PartyRater)) > 0 {
			t.Errorf("final status %s still allows actions", s)
		}
	}
}

func TestPartyOf(t *testing.T) {
	rater := int64(7)
	dept := Responsibility{Kind: ResponsibleDepartment, Code: "D1", Point: "P1"}
	point := Responsibility{Kind: ResponsiblePoint, Code: "P1", Point: "P1"}
	for name, tc := range map[string]struct {
		actor auth.User
		r     Responsibility
		want  Party
	}{
		"admin":                      {auth.User{ID: 1, Role: auth.RoleAdmin}, dept, PartyAdmin},
		"reviewer of the department": {auth.User{ID: 2, Role: auth.RoleReviewer, DepartmentCode: "D1"}, dept, PartyResponsible},
		"reviewer of another":        {auth.User{ID: 2, Role: auth.RoleReviewer, DepartmentCode: "D2"}, dept, PartyNone},
		"reviewer on a visit":        {auth.User{ID: 2, Role: auth.RoleReviewer, DepartmentCode: "D1"}, point, PartyNone},
		"hall manager, visit":        {auth.User{ID: 3, Role: auth.RoleHallManager, PointCode: "P1"}, point, PartyResponsible},
		"hall manager, case":         {auth.User{ID: 3, Role: auth.RoleHallManager, PointCode: "P1"}, dept, PartyViewer},
		"hall manager elsewhere":     {auth.User{ID: 3, Role: auth.RoleHallManager, PointCode: "P2"}, point, PartyNone},
		"front desk":                 {auth.User{ID: 4, Role: auth.RoleFrontDesk, PointCode: "P1"}, point, PartyNone},
		"the rater":                  {auth.User{ID: 7, Role: auth.RoleApplicant}, dept, PartyRater},
		"another applicant":          {auth.User{ID: 8, Role: auth.RoleApplicant}, dept, PartyNone},
		"a disabled admin":           {auth.User{ID: 1, Role: auth.RoleAdmin, Disabled: true}, dept, PartyNone},
	} {
		if got := PartyOf(tc.actor, tc.r, &rater); got != tc.want {
			t.Errorf("%s: %q, want %q", name, got, tc.want)
		}
	}
}

func TestSettingsValidate(t *testing.T) {
	for _, tc := range []struct {
		st    Settings
		field string
	}{
		{DefaultSettings(), ""},
		{Settings{Province: "22", ContactDays: 2, RectifyDays: 10}, ""},
		{Settings{Province: "2", ContactDays: 1, RectifyDays: 15}, "province"},
		{Settings{Province: "0A", ContactDays: 1, RectifyDays: 15}, "province"},
		{Settings{ContactDays: 0, RectifyDays: 15}, "contact_days"},
		{Settings{ContactDays: 3, RectifyDays: 2}, "rectify_days"},
		{Settings{ContactDays: 1, RectifyDays: 61}, "rectify_days"},
	} {
		err := tc.st.Validate()
		got := ""
		if err != nil {
			got = apperr.As(err).Fields[0].Field
		}
		if got != tc.field {
			t.Errorf("%+v: error on %q, want %q", tc.st, got, tc.field)
		}
	}
}

func TestTokens(t *testing.T) {
	key := []byte("0123456789abcdef0123456789abcdef")
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, cst)
	tok := SignLink(key, 42, now.Add(time.Hour))
	if id, err := ParseLink(key, tok, now); err != nil || id != 42 {
		t.Fatalf("ParseLink = %d, %v", id, err)
	}
	forged := strings.Replace(tok, "42.", "43.", 1)
	for name, tc := range map[string]struct {
		key []byte
		tok string
		at  time.Time
	}{
		"expired":       {key, tok, now.Add(time.Hour)},
		"another case":  {key, forged, now},
		"another key":   {[]byte("another key, another server......"), tok, now},
		"cut short":     {key, tok[:len(tok)-2], now},
		"no signature":  {key, "42.zzzz", now},
		"garbage":       {key, "..", now},
		"negative case": {key, SignLink(key, -1, now.Add(time.Hour)), now},
	} {
		if _, err := ParseLink(tc.key, tc.tok, tc.at); apperr.As(err).Reason != "rating_link_invalid" {
			t.Errorf("%s: %v, want the link refused", name, err)
		}
	}
	pad := PadKey(key, "P1", "01")
	if !ValidPadKey(key, "P1", "01", pad) || ValidPadKey(key, "P1", "02", pad) || ValidPadKey(key, "P2", "01", pad) || ValidPadKey(key, "P1", "01", "") {
		t.Error("a pad key must open its own window only")
	}
}
