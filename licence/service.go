package licence

import (
	"context"
	"crypto/rand"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/cases"
	"github.com/onewindow/onewindow/catalog"
	"github.com/onewindow/onewindow/clock"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/workday"
)

// Status of a licence version in the register.
const (
	StatusValid      = "valid"
	StatusRevoked    = "revoked"
	StatusSuperseded = "superseded"
)

// Licence is one version of an issued licence as the register holds it.
type Licence struct {
	ID             int64   `json:"id"`
	Number         string  `json:"number"`
	Version        int     `json:"version"`
	TypeCode       string  `json:"type_code"`
	VerifyCode     string  `json:"verify_code"`
	HolderKind     string  `json:"holder_kind"`
	HolderName     string  `json:"holder_name"`
	HolderID       string  `json:"holder_id"`
	DepartmentCode string  `json:"department_code"`
	CaseID         *int64  `json:"case_id,omitempty"`
	IssuedOn       string  `json:"issued_on"`
	ValidFrom      string  `json:"valid_from"`
	ValidTo        string  `json:"valid_to,omitempty"`
	Status         string  `json:"status"`
	Reason         string  `json:"reason,omitempty"`
	KeyID          string  `json:"kid"`
	Document       string  `json:"-"`
	Content        Content `json:"content"`
}

// Service keeps the register of licences and the 证照目录.
type Service struct {
	db      *store.DB
	catalog *catalog.Store
	// Keys is the folder of the departments' signing keys; nil: this
	// server issues no licences (issuing a case still works).
	Keys *KeyDir
	// Cases answers 免提交 (reuse.go): the case a licence stands in for a
	// material of, read with its caller's scope. Set at wiring.
	Cases *cases.Service
	Now   clock.Clock
}

// NewService returns a Service over db; keys may be nil.
func NewService(db *store.DB, cat *catalog.Store, keys *KeyDir, clk clock.Clock) *Service {
	if clk == nil {
		clk = clock.Wall()
	}
	return &Service{db: db, catalog: cat, Keys: keys, Now: clk}
}

func (s *Service) today() string { return workday.FormatDate(workday.DateOf(s.Now())) }

// OnIssue is the hook cases runs inside the transaction that issues c: when
// c's item yields a licence type and this server holds the issuing
// department's key, the licence is signed and registered in that same
// transaction. Without keys, or without the department's key, nothing is
// issued and the case is issued as before.
func (s *Service) OnIssue(ctx context.Context, tx *store.Tx, c cases.Case) error {
	if s.Keys == nil {
		return nil
	}
	t, ok, err := s.typeForItem(ctx, tx, c.ItemCode)
	if err != nil || !ok {
		return err
	}
	key, err := s.Keys.Current(t.DepartmentCode)
	if err != nil {
		return nil
	}
	// A refused case's result is the refusal, not a licence.
	var refusals int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM case_events WHERE case_id = ? AND action = 'refuse'`, c.ID).Scan(&refusals); err != nil {
		return apperr.Wrap(err, "licence: case decision")
	}
	if refusals > 0 {
		return nil
	}
	h := Holder{Kind: c.Applicant.Kind, Name: c.Applicant.Name, IDNumber: c.Applicant.IDNumber}
	if h.Kind == "enterprise" {
		h.IDNumber = c.Applicant.CreditCode
	}
	if h.Kind != t.HolderKind {
		return nil // the case's applicant cannot hold this type
	}
	issuedOn := s.today()
	content := Content{TypeCode: t.Code, TypeName: t.Name, Number: t.Code + "-" + c.Number, Version: 1, Holder: h,
		Issuer: s.issuer(ctx, t.DepartmentCode), IssuedOn: issuedOn, ValidFrom: issuedOn, ValidTo: ValidTo(issuedOn, t.ValidityYears),
		CaseNumber: c.Number, VerifyCode: newCode()}
	id := c.ID
	l, err := s.register(ctx, tx, auth.System, content, key, c.Applicant.UserID, &id)
	if err != nil {
		return err
	}
	return s.passOn(ctx, tx, c, l)
}

func (s *Service) issuer(ctx context.Context, code string) Issuer {
	is := Issuer{Code: code, Name: code}
	if s.catalog != nil {
		if d, err := s.catalog.Department(ctx, code); err == nil {
			is.Name = d.Name
		}
	}
	return is
}

// register signs content and stores it as a valid version, with its audit record.
func (s *Service) register(ctx context.Context, tx *store.Tx, actor auth.User, content Content, key *PrivateKey, userID, caseID *int64) (Licence, error) {
	doc, err := Sign(content, key)
	if err != nil {
		return Licence{}, apperr.Wrap(err, "licence: sign")
	}
	now := store.FormatTime(s.Now())
	l := Licence{Number: content.Number, Version: content.Version, TypeCode: content.TypeCode, VerifyCode: content.VerifyCode,
		HolderKind: content.Holder.Kind, HolderName: content.Holder.Name, HolderID: content.Holder.IDNumber, DepartmentCode: content.Issuer.Code,
		CaseID: caseID, IssuedOn: content.IssuedOn, ValidFrom: content.ValidFrom, ValidTo: content.ValidTo, Status: StatusValid,
		KeyID: key.ID, Document: string(doc), Content: content}
	err = tx.QueryRowContext(ctx, `INSERT INTO licences (number, version, type_code, verify_code, holder_kind, holder_name, holder_id, holder_user_id,
			department_code, case_id, issued_on, valid_from, valid_to, status, key_id, document, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		l.Number, l.Version, l.TypeCode, l.VerifyCode, l.HolderKind, l.HolderName, l.HolderID, userID, l.DepartmentCode, caseID,
		l.IssuedOn, l.ValidFrom, l.ValidTo, l.Status, l.KeyID, l.Document, now, now).Scan(&l.ID)
	if err != nil {
		return Licence{}, apperr.Wrap(err, "licence: register")
	}
	return l, auth.Record(ctx, tx, s.Now(), actor, "licence.issue", "licence:"+Ref(l.Number, l.Version),
		map[string]any{"type": l.TypeCode, "kid": l.KeyID, "case_id": caseID, "supersedes": content.Supersedes})
}

// newCode is a verification code from an alphabet without 0/O and 1/I/L.
func newCode() string {
	const alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
	b := make([]byte, 12)
	rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

const licenceColumns = `id, number, version, type_code, verify_code, holder_kind, holder_name, holder_id, department_code, case_id,
	issued_on, valid_from, valid_to, status, reason, key_id, document`

func scanLicence(row interface{ Scan(...any) error }) (Licence, error) {
	var l Licence
	err := row.Scan(&l.ID, &l.Number, &l.Version, &l.TypeCode, &l.VerifyCode, &l.HolderKind, &l.HolderName, &l.HolderID, &l.DepartmentCode, &l.CaseID,
		&l.IssuedOn, &l.ValidFrom, &l.ValidTo, &l.Status, &l.Reason, &l.KeyID, &l.Document)
	if err != nil {
		return l, err
	}
	var d Document
	if d, err = parseDocument(l.Document); err == nil {
		l.Content = d.Licence
	}
	return l, err
}

func errNotFound() *apperr.Error {
	return apperr.NotFoundf("licence_not_found", apperr.M("证照不存在", "no such licence"))
}

func (s *Service) loadLicence(ctx context.Context, q store.Querier, id int64, forUpdate bool) (Licence, error) {
	lock := ""
	if forUpdate && q.Dialect() == store.Postgres {
		lock = " FOR UPDATE"
	}
	l, err := scanLicence(q.QueryRowContext(ctx, `SELECT `+licenceColumns+` FROM licences WHERE id = ?`+lock, id))
	if isNoRows(err) {
		return Licence{}, errNotFound()
	}
	return l, apperr.Wrap(err, "licence: load")
}

// mayManage tells whether actor may revoke or correct l: an administrator,
// or an issuer or reviewer of the issuing department.
func mayManage(actor auth.User, l Licence) error {
	if err := auth.Require(actor, auth.RoleAdmin, auth.RoleIssuer, auth.RoleReviewer); err != nil {
		return err
	}
	if actor.Role == auth.RoleAdmin && actor.DepartmentCode == "" {
		return nil
	}
	if actor.DepartmentCode != l.DepartmentCode {
		return auth.ErrOutOfScope()
	}
	return nil
}

func checkReason(reason string) (string, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" || utf8.RuneCountInString(reason) > 500 {
		return "", apperr.Fields{apperr.Field("reason", "required", apperr.M("请写明理由（不超过500字）", "a reason is required (at most 500 characters)"))}.Err()
	}
	return reason, nil
}

// Revoke withdraws a valid licence version with a reason.
func (s *Service) Revoke(ctx context.Context, actor auth.User, id int64, reason string) (Licence, error) {
	reason, err := checkReason(reason)
	if err != nil {
		return Licence{}, err
	}
	var out Licence
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		l, err := s.loadLicence(ctx, tx, id, true)
		if err != nil {
			return err
		}
		if err := mayManage(actor, l); err != nil {
			return err
		}
		if l.Status != StatusValid {
			return apperr.New(apperr.Conflict, "licence_not_valid", apperr.M("证照已被撤销或取代", "the licence is already revoked or superseded")).With("status", l.Status)
		}
		if err := s.setStatus(ctx, tx, l.ID, StatusRevoked, reason); err != nil {
			return err
		}
		l.Status, l.Reason = StatusRevoked, reason
		out = l
		return auth.Record(ctx, tx, s.Now(), actor, "licence.revoke", "licence:"+Ref(l.Number, l.Version), map[string]any{"reason": reason})
	})
	return out, err
}

func (s *Service) setStatus(ctx context.Context, tx *store.Tx, id int64, status, reason string) error {
	_, err := tx.ExecContext(ctx, `UPDATE licences SET status = ?, reason = ?, updated_at = ? WHERE id = ?`, status, reason, store.FormatTime(s.Now()), id)
	return apperr.Wrap(err, "licence: status")
}

// Correction is what a correction changes; empty fields stay.
type Correction struct {
	HolderName string `json:"holder_name,omitempty"`
	ValidTo    string `json:"valid_to,omitempty"`
	Reason     string `json:"reason"`
}

// Correct issues a new version of a valid licence with the corrections,
// signed with the department's current key; the old version is superseded.
func (s *Service) Correct(ctx context.Context, actor auth.User, id int64, c Correction) (Licence, error) {
	reason, err := checkReason(c.Reason)
	if err != nil {
		return Licence{}, err
	}
	c.HolderName = strings.TrimSpace(c.HolderName)
	if utf8.RuneCountInString(c.HolderName) > 100 {
		return Licence{}, apperr.Fields{apperr.Field("holder_name", "too_long", apperr.M("持证主体名称不超过100字", "holder_name has at most 100 characters"))}.Err()
	}
	if c.ValidTo != "" {
		if _, err := time.Parse(time.DateOnly, c.ValidTo); err != nil {
			return Licence{}, apperr.Fields{apperr.Field("valid_to", "format", apperr.M("有效期截止日期格式为 YYYY-MM-DD", "valid_to is YYYY-MM-DD"))}.Err()
		}
	}
	var out Licence
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		old, err := s.loadLicence(ctx, tx, id, true)
		if err != nil {
			return err
		}
		if err := mayManage(actor, old); err != nil {
			return err
		}
		if old.Status != StatusValid {
			return apperr.New(apperr.Conflict, "licence_not_valid", apperr.M("证照已被撤销或取代", "the licence is already revoked or superseded")).With("status", old.Status)
		}
		if c.ValidTo != "" && c.ValidTo < old.ValidFrom {
			return apperr.Fields{apperr.Field("valid_to", "range", apperr.M("有效期截止日期早于起始日期", "valid_to is before valid_from"))}.Err()
		}
		key, err := s.signingKey(old.DepartmentCode)
		if err != nil {
			return err
		}
		content := old.Content
		content.Version = old.Version + 1
		content.Supersedes = Ref(old.Number, old.Version)
		content.IssuedOn = s.today()
		content.VerifyCode = newCode()
		if c.HolderName != "" {
			content.Holder.Name = c.HolderName
		}
		if c.ValidTo != "" {
			content.ValidTo = c.ValidTo
		}
		if err := s.setStatus(ctx, tx, old.ID, StatusSuperseded, reason); err != nil {
			return err
		}
		var userID *int64
		if err := tx.QueryRowContext(ctx, `SELECT holder_user_id FROM licences WHERE id = ?`, old.ID).Scan(&userID); err != nil {
			return apperr.Wrap(err, "licence: holder")
		}
		out, err = s.register(ctx, tx, actor, content, key, userID, old.CaseID)
		return err
	})
	return out, err
}

func (s *Service) signingKey(dept string) (*PrivateKey, error) {
	if s.Keys != nil {
		if k, err := s.Keys.Current(dept); err == nil {
			return k, nil
		}
	}
	return nil, apperr.New(apperr.Conflict, "no_signing_key", apperr.M("本服务器没有该部门的签发密钥", "this server holds no signing key of the department"))
}
