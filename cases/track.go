package cases

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/audit"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/catalog"
	"github.com/onewindow/onewindow/ident"
	"github.com/onewindow/onewindow/store"
)

// 办件查询: anyone holding a case's number and its query code (printed on
// the receipt and every notice) may follow the case without an account.
// What they see is the state, the steps with their dates, the due date and
// what is still missing; the applicant's name is masked and nothing else
// personal is shown.

// QueryCodeAlphabet is what query codes are made of: digits and capital
// letters without 0, 1, I and O, which are misread on paper. 32 symbols, so
// that a random byte maps onto one without bias.
const QueryCodeAlphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"

// QueryCodeLen is the length of a query code: 32^8 ≈ 10^12 codes, with
// wrong guesses limited per client and per case number.
const QueryCodeLen = 8

// Limits on wrong query codes within TrackWindow.
const (
	TrackFailuresPerClient = 10
	TrackFailuresPerNumber = 20
	TrackWindow            = 15 * time.Minute
)

// newQueryCode returns a fresh random query code.
func newQueryCode() string {
	b := make([]byte, QueryCodeLen)
	rand.Read(b)
	for i := range b {
		b[i] = QueryCodeAlphabet[b[i]&31]
	}
	return string(b)
}

// NormalizeQueryCode puts a typed code in its stored form: capitals, with
// the spaces and dashes people type between groups taken out.
func NormalizeQueryCode(s string) string {
	s = strings.ToUpper(strings.TrimSpace(s))
	return strings.NewReplacer(" ", "", "-", "", "\u3000", "").Replace(s)
}

// ValidQueryCode reports whether s (normalised) has the shape of a query code.
func ValidQueryCode(s string) bool {
	if len(s) != QueryCodeLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		if strings.IndexByte(QueryCodeAlphabet, s[i]) < 0 {
			return false
		}
	}
	return true
}

// assignQueryCode gives a new case its query code, in the creating transaction.
func assignQueryCode(ctx context.Context, tx *store.Tx, caseID int64) (string, error) {
	code := newQueryCode()
	_, err := tx.ExecContext(ctx, `INSERT INTO case_query_codes (case_id, code) VALUES (?, ?)`, caseID, code)
	return code, apperr.Wrap(err, "cases: query code")
}

// QueryCode returns the query code of case id for actor (who must be able to
// see the case), giving one to a case made before query codes existed.
func (s *Service) QueryCode(ctx context.Context, actor auth.User, id int64) (string, error) {
	if _, err := s.Get(ctx, actor, id); err != nil {
		return "", err
	}
	return s.queryCode(ctx, id)
}

func (s *Service) queryCode(ctx context.Context, id int64) (string, error) {
	var code string
	err := s.db.QueryRowContext(ctx, `SELECT code FROM case_query_codes WHERE case_id = ?`, id).Scan(&code)
	if err == nil {
		return code, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return "", apperr.Wrap(err, "cases: query code")
	}
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO case_query_codes (case_id, code) VALUES (?, ?) ON CONFLICT (case_id) DO NOTHING`,
			id, newQueryCode()); err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, `SELECT code FROM case_query_codes WHERE case_id = ?`, id).Scan(&code)
	})
	return code, apperr.Wrap(err, "cases: query code")
}

// Tracking is what 办件查询 shows of a case.
type Tracking struct {
	Number      string          `json:"number"`
	ItemCode    string          `json:"item_code"`
	ItemName    string          `json:"item_name"`
	ItemNameEN  string          `json:"item_name_en,omitempty"`
	Applicant   string          `json:"applicant"` // masked for persons; an enterprise's name is public
	Point       string          `json:"point"`
	State       State           `json:"state"`
	CreatedAt   time.Time       `json:"created_at"`
	PromisedDue string          `json:"promised_due,omitempty"`
	Steps       []TrackStep     `json:"steps"`
	Missing     []TrackMaterial `json:"missing"`
	MissingDue  string          `json:"missing_due,omitempty"`
}

// TrackStep is one step of a case's history, without who took it.
type TrackStep struct {
	At     time.Time `json:"at"`
	Action string    `json:"action"`
	State  State     `json:"state"`
}

// TrackMaterial is a material still to be provided.
type TrackMaterial struct {
	Type string `json:"type"`
	Name string `json:"name"`
}

// trackLimits counts wrong query codes per client and per case number.
type trackLimits struct {
	client, number auth.Limiter
}

func errTrackMismatch() error {
	return apperr.NotFoundf("track_mismatch", apperr.M("案件编号或查询码不正确，请核对受理回执", "the case number or the query code is wrong; please check the receipt"))
}

// ValidateTrack checks the shape of a number and a code and returns them
// normalised, with a field error for each that is wrong.
func ValidateTrack(number, code string) (string, string, error) {
	number = strings.ToUpper(strings.TrimSpace(number))
	code = NormalizeQueryCode(code)
	var f apperr.Fields
	switch {
	case number == "":
		f.Add("number", "required", apperr.M("请填写案件编号", "the case number is required"))
	case len(number) > 64:
		f.Add("number", "too_long", apperr.M("案件编号不能超过64个字符", "the case number must be at most 64 characters"))
	}
	switch {
	case code == "":
		f.Add("code", "required", apperr.M("请填写查询码", "the query code is required"))
	case !ValidQueryCode(code):
		f.Add("code", "format", apperr.M(fmt.Sprintf("查询码为%d位字母和数字，见受理回执", QueryCodeLen),
			fmt.Sprintf("the query code is %d letters and digits, printed on the receipt", QueryCodeLen)))
	}
	return number, code, f.Err()
}

// Track answers 办件查询 for a case number and its query code, asked from
// client (an address). A wrong number and a wrong code get the same answer,
// NotFound "track_mismatch", so that numbers cannot be probed; after
// TrackFailuresPerClient wrong tries from a client, or TrackFailuresPerNumber
// on one number, within TrackWindow, every try is RateLimited
// "too_many_attempts" (with retry_after), the right code too, and the
// lock-out is written to the audit log.
func (s *Service) Track(ctx context.Context, number, code, client string) (Tracking, error) {
	number, code, err := ValidateTrack(number, code)
	if err != nil {
		return Tracking{}, err
	}
	clientKey, numberKey := "track:"+client, "track:"+number
	if err := s.track.client.Check(clientKey); err != nil {
		return Tracking{}, err
	}
	if err := s.track.number.Check(numberKey); err != nil {
		return Tracking{}, err
	}
	c, stored, err := s.caseWithCode(ctx, number)
	if err != nil {
		return Tracking{}, err
	}
	if stored == "" || subtle.ConstantTimeCompare([]byte(stored), []byte(code)) != 1 {
		s.track.client.Failure(clientKey)
		s.track.number.Failure(numberKey)
		if s.track.client.Check(clientKey) != nil || s.track.number.Check(numberKey) != nil {
			s.auditTrackLockout(ctx, number, client)
		}
		return Tracking{}, errTrackMismatch()
	}
	return s.tracking(ctx, &c)
}

// caseWithCode reads a case and its query code by number; a missing case
// has an empty code.
func (s *Service) caseWithCode(ctx context.Context, number string) (Case, string, error) {
	var code sql.NullString
	c, err := scanCase(s.db.QueryRowContext(ctx, `SELECT `+caseColumnsOfC+`, q.code
		FROM cases c LEFT JOIN case_query_codes q ON q.case_id = c.id WHERE c.number = ?`, number), &code)
	if errors.Is(err, sql.ErrNoRows) {
		return Case{}, "", nil
	}
	if err != nil {
		return Case{}, "", apperr.Wrap(err, "cases: track")
	}
	c.Materials, err = caseMaterials(ctx, s.db, c.ID)
	if err != nil {
		return Case{}, "", err
	}
	return c, code.String, nil
}

func (s *Service) auditTrackLockout(ctx context.Context, number, client string) {
	detail, _ := json.Marshal(map[string]any{"reason": "too_many_wrong_codes"})
	// The lock-out is recorded even if the request is gone.
	_, _ = audit.AppendNow(context.WithoutCancel(ctx), s.db, audit.Record{At: s.Now(), Action: "case.track",
		Object: "case:" + number, Outcome: audit.Denied, Detail: string(detail), IP: client})
}

// tracking builds the public view of c.
func (s *Service) tracking(ctx context.Context, c *Case) (Tracking, error) {
	t := Tracking{Number: c.Number, ItemCode: c.ItemCode, ItemName: c.ItemName, State: c.State, CreatedAt: c.CreatedAt,
		PromisedDue: c.PromisedDue, Steps: []TrackStep{}, Missing: []TrackMaterial{}}
	t.Applicant = c.Applicant.Name
	if c.Applicant.Kind != "enterprise" {
		t.Applicant = ident.MaskName(c.Applicant.Name)
	}
	it, err := s.catalog.Version(ctx, c.ItemCode, c.ItemVersion)
	if err != nil {
		return Tracking{}, err
	}
	t.ItemNameEN = it.NameEN
	t.Point = c.PointCode
	if pt, err := s.points.Get(ctx, nil, c.PointCode); err == nil {
		t.Point = pt.Name
	}
	evs, err := s.events(ctx, c.ID)
	if err != nil {
		return Tracking{}, err
	}
	for _, e := range evs {
		if e.Action == "escalate" {
			continue // internal supervision, not a step of the application
		}
		t.Steps = append(t.Steps, TrackStep{At: e.At, Action: e.Action, State: e.To})
	}
	t.Missing, t.MissingDue = stillMissing(c, &it, evs)
	return t, nil
}

// stillMissing lists what the applicant still has to provide: while the
// case waits for materials, those the last one-time notice or request named
// and that did not arrive after it; once accepted with 容缺, the waived
// materials not yet provided.
func stillMissing(c *Case, it *catalog.Item, evs []Event) ([]TrackMaterial, string) {
	out := []TrackMaterial{}
	if c.State.Final() {
		return out, ""
	}
	if c.State == SupplementNeeded || c.State == Received {
		for i := len(evs) - 1; i >= 0; i-- {
			e := evs[i]
			if e.Action != string(NotifyMissing) && e.Action != string(RequestSupplement) {
				continue
			}
			if e.To != c.State {
				break // the notice was answered
			}
			var data struct {
				Missing []catalog.Material `json:"missing"`
				Due     string             `json:"due"`
			}
			json.Unmarshal(e.Data, &data)
			for _, m := range data.Missing {
				if !slices.ContainsFunc(c.Materials, func(p Material) bool { return p.Type == m.Type && p.AddedAt.After(e.At) }) {
					out = append(out, TrackMaterial{Type: m.Type, Name: m.Name})
				}
			}
			return out, data.Due
		}
	}
	if len(c.Waived) > 0 && c.AcceptedAt != nil {
		for _, t := range c.Waived {
			if !slices.ContainsFunc(c.Materials, func(p Material) bool { return p.Type == t }) {
				out = append(out, TrackMaterial{Type: t, Name: materialOf(it, t).Name})
			}
		}
		if len(out) > 0 {
			return out, c.WaiverDue
		}
	}
	return out, ""
}

// events reads a case's history without a scope check (the caller has one).
func (s *Service) events(ctx context.Context, id int64) ([]Event, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, case_id, at, actor_id, actor_name, role, action, from_state, to_state, note, data, on_behalf
		FROM case_events WHERE case_id = ? ORDER BY id`, id)
	if err != nil {
		return nil, apperr.Wrap(err, "cases: events")
	}
	defer rows.Close()
	var out []Event
	for rows.Next() {
		var e Event
		var at, from, to, data string
		if err := rows.Scan(&e.ID, &e.CaseID, &at, &e.ActorID, &e.ActorName, &e.Role, &e.Action, &from, &to, &e.Note, &data, &e.OnBehalf); err != nil {
			return nil, apperr.Wrap(err, "cases: events")
		}
		e.At, e.From, e.To, e.Data = store.ParseTime(at), State(from), State(to), json.RawMessage(data)
		out = append(out, e)
	}
	return out, apperr.Wrap(rows.Err(), "cases: events")
}
