package licence

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/ident"
	"github.com/onewindow/onewindow/store"
)

func parseDocument(raw string) (Document, error) {
	var d Document
	err := json.Unmarshal([]byte(raw), &d)
	return d, err
}

// Verdict is the answer of a verification: who anyone may learn the licence
// belongs to (the holder's name masked when a person), and whether it holds.
type Verdict struct {
	Valid      bool   `json:"valid"`
	Reason     Reason `json:"reason,omitempty"`
	Message    string `json:"message,omitempty"`
	MessageEN  string `json:"message_en,omitempty"`
	Number     string `json:"number,omitempty"`
	Version    int    `json:"version,omitempty"`
	TypeCode   string `json:"type_code,omitempty"`
	TypeName   string `json:"type_name,omitempty"`
	HolderKind string `json:"holder_kind,omitempty"`
	HolderName string `json:"holder_name,omitempty"` // masked for persons
	Issuer     string `json:"issuer,omitempty"`
	IssuedOn   string `json:"issued_on,omitempty"`
	ValidFrom  string `json:"valid_from,omitempty"`
	ValidTo    string `json:"valid_to,omitempty"`
	KeyID      string `json:"kid,omitempty"`
}

// NewVerdict renders what Check (and the register) found.
func NewVerdict(d Document, r Reason) Verdict {
	v := Verdict{Valid: r == "", Reason: r}
	if r != "" {
		v.Message, v.MessageEN = ReasonNames[r][0], ReasonNames[r][1]
	}
	switch r {
	case Malformed, UnknownAlg, UnknownKey, BadSignature:
		// What an unverified document says is not shown as fact.
		return v
	}
	if d.Licence.Number == "" {
		return v
	}
	c := d.Licence
	v.Number, v.Version, v.TypeCode, v.TypeName = c.Number, c.Version, c.TypeCode, c.TypeName
	v.HolderKind, v.HolderName = c.Holder.Kind, c.Holder.Name
	if c.Holder.Kind != "enterprise" {
		v.HolderName = ident.MaskName(c.Holder.Name)
	}
	v.Issuer, v.IssuedOn, v.ValidFrom, v.ValidTo, v.KeyID = c.Issuer.Name, c.IssuedOn, c.ValidFrom, c.ValidTo, d.KeyID
	return v
}

// PublicKeys returns the published keys of every department (none without a key folder).
func (s *Service) PublicKeys() (KeySet, error) {
	if s.Keys == nil {
		return KeySet{Keys: []PublicKey{}}, nil
	}
	set, err := s.Keys.Public()
	return set, apperr.Wrap(err, "licence: public keys")
}

// VerifyDocument checks a document as anyone may: its signature against
// the published keys, its period of validity, and the register's status
// (revoked, superseded, unknown). Each verification is counted.
func (s *Service) VerifyDocument(ctx context.Context, raw []byte) (Verdict, error) {
	v, err := s.verify(ctx, raw)
	if err != nil {
		return Verdict{}, err
	}
	return v, s.countVerification(ctx, v.Reason)
}

func (s *Service) verify(ctx context.Context, raw []byte) (Verdict, error) {
	keys, err := s.PublicKeys()
	if err != nil {
		return Verdict{}, err
	}
	d, reason := Check(raw, keys, s.today())
	if reason == "" {
		var status string
		err := s.db.QueryRowContext(ctx, `SELECT status FROM licences WHERE number = ? AND version = ? AND key_id = ?`,
			d.Licence.Number, d.Licence.Version, d.KeyID).Scan(&status)
		switch {
		case isNoRows(err):
			reason = NotFound
		case err != nil:
			return Verdict{}, apperr.Wrap(err, "licence: status")
		default:
			reason = statusReason(status)
		}
	}
	return NewVerdict(d, reason), nil
}

func statusReason(status string) Reason {
	switch status {
	case StatusRevoked:
		return Revoked
	case StatusSuperseded:
		return Superseded
	}
	return ""
}

// Lookup verifies the licence a number and verification code name (the QR
// on the printed licence), as anyone may.
func (s *Service) Lookup(ctx context.Context, number, code string) (Verdict, error) {
	number, code = strings.TrimSpace(number), strings.ToUpper(strings.TrimSpace(code))
	if number == "" || code == "" {
		return NewVerdict(Document{}, NotFound), nil
	}
	l, err := scanLicence(s.db.QueryRowContext(ctx, `SELECT `+licenceColumns+` FROM licences WHERE number = ? AND verify_code = ?`, number, code))
	if isNoRows(err) {
		return NewVerdict(Document{}, NotFound), s.countVerification(ctx, NotFound)
	}
	if err != nil {
		return Verdict{}, apperr.Wrap(err, "licence: lookup")
	}
	return s.VerifyDocument(ctx, []byte(l.Document))
}

// countVerification counts a verification answered, per China day and
// outcome, for the figures.
func (s *Service) countVerification(ctx context.Context, r Reason) error {
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO licence_verifications (day, reason, n) VALUES (?, ?, 1)
			ON CONFLICT (day, reason) DO UPDATE SET n = licence_verifications.n + 1`, s.today(), string(r))
		return apperr.Wrap(err, "licence: count verification")
	})
}

// Wallet lists the licences actor holds: a person's own (by account or by
// identity number) and those of the enterprises they act for today
// (delegation), newest first, every version with its status.
func (s *Service) Wallet(ctx context.Context, actor auth.User) ([]Licence, error) {
	if err := auth.Require(actor, auth.RoleApplicant); err != nil {
		return nil, err
	}
	where, args := holderScope(actor)
	rows, err := s.db.QueryContext(ctx, `SELECT `+licenceColumns+` FROM licences WHERE `+where+` ORDER BY issued_on DESC, id DESC`, args...)
	if err != nil {
		return nil, apperr.Wrap(err, "licence: wallet")
	}
	defer rows.Close()
	out := []Licence{}
	for rows.Next() {
		l, err := scanLicence(rows)
		if err != nil {
			return nil, apperr.Wrap(err, "licence: wallet")
		}
		out = append(out, l)
	}
	return out, apperr.Wrap(rows.Err(), "licence: wallet")
}

// holderScope is the WHERE of the licences actor holds.
func holderScope(actor auth.User) (string, []any) {
	conds := []string{"holder_user_id = ?"}
	args := []any{actor.ID}
	if actor.IDNumber != "" && !actor.IdentityUnverified {
		conds = append(conds, "(holder_kind = 'person' AND holder_id = ?)")
		args = append(args, actor.IDNumber)
	}
	if actor.Kind == auth.KindEnterprise && actor.CreditCode != "" {
		conds = append(conds, "(holder_kind = 'enterprise' AND holder_id = ?)")
		args = append(args, actor.CreditCode)
	}
	if codes := actor.ActsFor(); len(codes) > 0 {
		conds = append(conds, "(holder_kind = 'enterprise' AND holder_id IN ("+strings.TrimSuffix(strings.Repeat("?, ", len(codes)), ", ")+"))")
		for _, c := range codes {
			args = append(args, c)
		}
	}
	return "(" + strings.Join(conds, " OR ") + ")", args
}

// Get returns one licence actor may see: its holder, or staff (any staff
// role may look a licence up; the holder's documents are shared between
// departments, 部门共享, and such reads are audited where they are used).
func (s *Service) Get(ctx context.Context, actor auth.User, id int64) (Licence, error) {
	if actor.Role == auth.RoleApplicant {
		where, args := holderScope(actor)
		l, err := scanLicence(s.db.QueryRowContext(ctx, `SELECT `+licenceColumns+` FROM licences WHERE id = ? AND `+where, append([]any{id}, args...)...))
		if isNoRows(err) {
			return Licence{}, errNotFound()
		}
		return l, apperr.Wrap(err, "licence: get")
	}
	if err := auth.Require(actor, auth.RoleAdmin, auth.RoleIssuer, auth.RoleReviewer); err != nil {
		return Licence{}, err
	}
	l, err := s.loadLicence(ctx, s.db, id, false)
	if err != nil {
		return Licence{}, err
	}
	if actor.DepartmentCode != "" && actor.DepartmentCode != l.DepartmentCode && actor.Role != auth.RoleAdmin {
		return Licence{}, auth.ErrOutOfScope()
	}
	return l, nil
}

// ForCase lists the licences issued for a case (staff reading a case see them).
func (s *Service) ForCase(ctx context.Context, caseID int64) ([]Licence, error) {
	return s.query(ctx, s.db, `SELECT `+licenceColumns+` FROM licences WHERE case_id = ? ORDER BY version`, caseID)
}

func (s *Service) query(ctx context.Context, q store.Querier, sqlText string, args ...any) ([]Licence, error) {
	rows, err := q.QueryContext(ctx, sqlText, args...)
	if err != nil {
		return nil, apperr.Wrap(err, "licence: query")
	}
	defer rows.Close()
	out := []Licence{}
	for rows.Next() {
		l, err := scanLicence(rows)
		if err != nil {
			return nil, apperr.Wrap(err, "licence: query")
		}
		out = append(out, l)
	}
	return out, apperr.Wrap(rows.Err(), "licence: query")
}

// FileName is the name a downloaded document is saved under (ASCII only).
func FileName(l Licence) string {
	var b strings.Builder
	for _, r := range l.Number {
		if r < 128 && (r == '-' || r == '_' || r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z') {
			b.WriteRune(r)
		}
	}
	return b.String() + "-v" + strconv.Itoa(l.Version) + ".json"
}
