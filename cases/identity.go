package cases

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"

	"github.com/onewindow/onewindow/audit"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/ident"
	"github.com/onewindow/onewindow/store"
)

// Staff see an applicant's identity card and mobile numbers partly hidden:
// in every list, and on a single case until they ask for the whole numbers,
// which RevealIdentity gives and writes to the audit log. The same numbers
// among the answers of a case's form are hidden too. Applicants only ever
// see their own cases, and see their numbers whole.

// Audit actions of a reveal.
const (
	AuditRevealIdentity       = "case.reveal_identity"
	AuditRevealBundleIdentity = "bundle_case.reveal_identity"
)

// Identity is what a reveal shows: the applicant and the answers of the
// application form, with every number whole.
type Identity struct {
	Applicant Applicant       `json:"applicant"`
	Form      json.RawMessage `json:"form,omitempty"`
}

// Masked returns the applicant with the identity card number and the phone
// number partly hidden (ident.MaskID, ident.MaskPhone). The name and an
// enterprise's credit code, which is public, stay whole. Masking a masked
// applicant changes nothing.
func (a Applicant) Masked() Applicant {
	if a.IDNumber != "" {
		a.IDNumber = ident.MaskID(a.IDNumber)
	}
	if a.Phone != "" {
		a.Phone = ident.MaskPhone(a.Phone)
	}
	return a
}

// ShownTo returns the case as actor sees it without a reveal: whole to an
// applicant (whose scope is their own cases); for everyone else with the
// applicant masked (Applicant.Masked) and every identity card or mobile
// number among the form's answers too (MaskForm).
func (c Case) ShownTo(actor auth.User) Case {
	if actor.Role == RoleApplicant {
		return c
	}
	c.Applicant, c.Form = c.Applicant.Masked(), MaskForm(c.Form)
	return c
}

// ShownTo returns the bundle case as actor sees it without a reveal, as
// Case.ShownTo does.
func (b BundleCase) ShownTo(actor auth.User) BundleCase {
	if actor.Role == RoleApplicant {
		return b
	}
	b.Applicant, b.Form = b.Applicant.Masked(), MaskForm(b.Form)
	return b
}

// MaskForm returns the answers of a form with every string that is an
// identity card number (18 characters: 17 digits and a digit or X) or a
// mobile number masked, whatever the question, at any depth. Answers
// without one are returned as they are, byte for byte; a form that is not
// JSON is left out.
func MaskForm(form json.RawMessage) json.RawMessage {
	if len(form) == 0 {
		return form
	}
	dec := json.NewDecoder(bytes.NewReader(form))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil
	}
	changed := false
	v = maskValue(v, &changed)
	if !changed {
		return form
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil
	}
	return bytes.TrimRight(buf.Bytes(), "\n")
}

func maskValue(v any, changed *bool) any {
	switch x := v.(type) {
	case string:
		if looksLikeIDCard(x) {
			*changed = true
			return ident.MaskID(x)
		}
		if _, err := ident.Mobile(x); err == nil {
			*changed = true
			return ident.MaskPhone(x)
		}
	case map[string]any:
		for k, e := range x {
			x[k] = maskValue(e, changed)
		}
	case []any:
		for i, e := range x {
			x[i] = maskValue(e, changed)
		}
	}
	return v
}

// looksLikeIDCard: the shape of a resident identity card number, whether
// or not its check digit or date is right (a mistyped number is still
// someone's).
func looksLikeIDCard(s string) bool {
	s = strings.TrimSpace(s)
	if len(s) != 18 {
		return false
	}
	for i := 0; i < 17; i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	last := s[17]
	return last >= '0' && last <= '9' || last == 'X' || last == 'x'
}

// revealedFields names what a reveal shows whole, for the audit record,
// which never holds the numbers themselves.
func revealedFields(id Identity) []string {
	out := []string{}
	if id.Applicant.IDNumber != "" {
		out = append(out, "id_number")
	}
	if id.Applicant.Phone != "" {
		out = append(out, "phone")
	}
	if !bytes.Equal(MaskForm(id.Form), id.Form) {
		out = append(out, "form")
	}
	return out
}

// RevealIdentity returns the applicant of case id and the answers of its
// form with the numbers whole, to those who may see the case (as Get decides:
// others get the same 404 or 403), and records in the audit log, in the same
// transaction, who saw them: no number is given without its record.
// clientIP goes into the record.
func (s *Service) RevealIdentity(ctx context.Context, actor auth.User, id int64, clientIP string) (Identity, error) {
	var out Identity
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		c, err := s.load(ctx, tx, id, false)
		if err != nil {
			return err
		}
		if err := s.checkScope(actor, &c); err != nil {
			return err
		}
		out = Identity{Applicant: c.Applicant, Form: c.Form}
		return s.auditReveal(ctx, tx, actor, AuditRevealIdentity, c.PointCode, "case:"+c.Number, out, clientIP)
	})
	if err != nil {
		return Identity{}, err
	}
	return out, nil
}

// RevealBundleIdentity is RevealIdentity for a bundle case (一件事).
func (s *Service) RevealBundleIdentity(ctx context.Context, actor auth.User, id int64, clientIP string) (Identity, error) {
	var out Identity
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		b, err := s.loadBundleCase(ctx, tx, id, false)
		if err != nil {
			return err
		}
		if err := s.checkBundleScope(actor, &b); err != nil {
			return err
		}
		out = Identity{Applicant: b.Applicant, Form: b.Form}
		return s.auditReveal(ctx, tx, actor, AuditRevealBundleIdentity, b.PointCode, "bundle_case:"+b.Number, out, clientIP)
	})
	if err != nil {
		return Identity{}, err
	}
	return out, nil
}

func (s *Service) auditReveal(ctx context.Context, tx *store.Tx, actor auth.User, action, chain, object string, id Identity, clientIP string) error {
	detail, _ := json.Marshal(map[string]any{"fields": revealedFields(id), "applicant_kind": id.Applicant.Kind})
	_, err := audit.Append(ctx, tx, audit.Record{Chain: chain, At: s.Now(), ActorID: actor.ID, Actor: actor.Username, Role: string(actor.Role),
		Action: action, Object: object, Outcome: audit.OK, Detail: string(detail), IP: clientIP})
	return err
}
