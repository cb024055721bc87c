package licence

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/cases"
	"github.com/onewindow/onewindow/catalog"
	"github.com/onewindow/onewindow/store"
)

// 免提交: a material whose catalogue entry names a licence type
// (catalog.Material.Licence) is satisfied by a valid licence of that type
// the case's applicant holds, once the applicant consents. The material is
// then recorded on the case with source "licence" and the licence's
// number@version, so the materials check counts it as provided and the
// 一次性告知 does not ask for it; staff opening the licence for the case
// are recorded with their purpose.

// Offer is a material of a case that a held licence can stand in for.
type Offer struct {
	MaterialType string `json:"material_type"`
	MaterialName string `json:"material_name"`
	LicenceID    int64  `json:"licence_id"`
	Number       string `json:"number"`
	Version      int    `json:"version"`
	TypeCode     string `json:"type_code"`
	TypeName     string `json:"type_name"`
	ValidTo      string `json:"valid_to,omitempty"`
	Used         bool   `json:"used"` // already recorded on the case
}

// UseRequest is the applicant's consent to use a licence for a material.
type UseRequest struct {
	Material string `json:"material"`
	Consent  bool   `json:"consent"`
}

func holderOf(a cases.Applicant) (kind, id string) {
	if a.Kind == "enterprise" {
		return a.Kind, a.CreditCode
	}
	return a.Kind, a.IDNumber
}

// heldLicence returns the newest valid, unexpired licence of typeCode the
// applicant holds on today.
func (s *Service) heldLicence(ctx context.Context, q store.Querier, a cases.Applicant, typeCode string) (Licence, bool, error) {
	kind, id := holderOf(a)
	if id == "" {
		return Licence{}, false, nil
	}
	today := s.today()
	l, err := scanLicence(q.QueryRowContext(ctx, `SELECT `+licenceColumns+` FROM licences
		WHERE holder_kind = ? AND holder_id = ? AND type_code = ? AND status = 'valid' AND valid_from <= ? AND (valid_to = '' OR valid_to >= ?)
		ORDER BY issued_on DESC, id DESC LIMIT 1`, kind, id, typeCode, today, today))
	if isNoRows(err) {
		return Licence{}, false, nil
	}
	if err != nil {
		return Licence{}, false, apperr.Wrap(err, "licence: held")
	}
	return l, true, nil
}

func (s *Service) needCases() error {
	if s.Cases == nil || s.catalog == nil {
		return apperr.New(apperr.Internal, "licence_reuse_unavailable", apperr.M("免提交未配置", "licence reuse is not configured"))
	}
	return nil
}

// Offers lists the materials of case id that a licence its applicant holds
// can stand in for; actor must be able to see the case.
func (s *Service) Offers(ctx context.Context, actor auth.User, id int64) ([]Offer, error) {
	if err := s.needCases(); err != nil {
		return nil, err
	}
	c, err := s.Cases.Get(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	it, err := s.catalog.Version(ctx, c.ItemCode, c.ItemVersion)
	if err != nil {
		return nil, err
	}
	out := []Offer{}
	for _, m := range it.Materials {
		if m.Licence == "" {
			continue
		}
		l, ok, err := s.heldLicence(ctx, s.db, c.Applicant, m.Licence)
		if err != nil {
			return nil, err
		}
		if !ok {
			continue
		}
		used := false
		for _, cm := range c.Materials {
			used = used || (cm.Type == m.Type && cm.Source == cases.SourceLicence)
		}
		out = append(out, Offer{MaterialType: m.Type, MaterialName: m.Name, LicenceID: l.ID, Number: l.Number, Version: l.Version,
			TypeCode: l.TypeCode, TypeName: l.Content.TypeName, ValidTo: l.ValidTo, Used: used})
	}
	return out, nil
}

// Use records, with the applicant's consent, that a held licence provides
// a material of case id (免提交). The applicant consents online; a front
// desk records the consent given at the window. Without consent the
// material is asked for as before.
func (s *Service) Use(ctx context.Context, actor auth.User, id int64, req UseRequest) (cases.Case, error) {
	if err := s.needCases(); err != nil {
		return cases.Case{}, err
	}
	req.Material = strings.TrimSpace(req.Material)
	var f apperr.Fields
	if req.Material == "" {
		f.Add("material", "required", apperr.M("请指明材料类型", "material is required"))
	}
	if !req.Consent {
		f.Add("consent", "required", apperr.M("须经申请人同意方可调用其电子证照", "the applicant's consent is required to use their licence"))
	}
	if err := f.Err(); err != nil {
		return cases.Case{}, err
	}
	now := s.Now()
	return s.Cases.AddMaterialWith(ctx, actor, id, cases.Material{Type: req.Material, Source: cases.SourceLicence},
		func(ctx context.Context, tx *store.Tx, c cases.Case, it catalog.Item, m *cases.Material) error {
			var typeCode string
			for _, im := range it.Materials {
				if im.Type == req.Material {
					typeCode = im.Licence
				}
			}
			if typeCode == "" {
				return apperr.Fields{apperr.Field("material", "no_licence", apperr.M("该材料不能以电子证照代替", "no licence stands in for this material"))}.Err()
			}
			l, ok, err := s.heldLicence(ctx, tx, c.Applicant, typeCode)
			if err != nil {
				return err
			}
			if !ok {
				return apperr.New(apperr.Conflict, "no_valid_licence", apperr.M("申请人没有有效的该类电子证照", "the applicant holds no valid licence of this type")).With("type_code", typeCode)
			}
			m.FileName = Ref(l.Number, l.Version)
			if err := s.recordUse(ctx, tx, actor, l.ID, c.ID, req.Material, "consent", "免提交"); err != nil {
				return err
			}
			return auth.Record(ctx, tx, now, actor, "licence.consent", "licence:"+m.FileName,
				map[string]any{"case": c.Number, "material": req.Material, "on_behalf": actor.Role != auth.RoleApplicant})
		})
}

func (s *Service) recordUse(ctx context.Context, tx *store.Tx, actor auth.User, licenceID, caseID int64, material, kind, purpose string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO licence_uses (licence_id, case_id, material_type, kind, purpose, actor_id, at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		licenceID, caseID, material, kind, purpose, actor.ID, store.FormatTime(s.Now()))
	return apperr.Wrap(err, "licence: use")
}

// CaseLicence is a licence that stands in for a material of a case.
type CaseLicence struct {
	MaterialType string  `json:"material_type"`
	Licence      Licence `json:"licence"`
	Verdict      Verdict `json:"verdict"`
}

// ForCaseMaterials returns the licences the materials of case id refer to,
// as the staff handling the case see them: the licence itself instead of a
// scan, checked now. Each staff read is recorded with its purpose (部门共享)
// in the register of uses and the audit log; an applicant reads their own.
func (s *Service) ForCaseMaterials(ctx context.Context, actor auth.User, id int64, purpose string) ([]CaseLicence, error) {
	if err := s.needCases(); err != nil {
		return nil, err
	}
	purpose = strings.TrimSpace(purpose)
	if purpose == "" {
		purpose = "审查办件"
	}
	if utf8.RuneCountInString(purpose) > 200 {
		return nil, apperr.Fields{apperr.Field("purpose", "too_long", apperr.M("用途不超过200字", "purpose has at most 200 characters"))}.Err()
	}
	c, err := s.Cases.Get(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	out := []CaseLicence{}
	for _, m := range c.Materials {
		if m.Source != cases.SourceLicence {
			continue
		}
		number, version, ok := strings.Cut(m.FileName, "@")
		if !ok {
			continue
		}
		l, err := scanLicence(s.db.QueryRowContext(ctx, `SELECT `+licenceColumns+` FROM licences WHERE number = ? AND version = ?`, number, version))
		if err != nil {
			return nil, apperr.Wrap(err, "licence: case material")
		}
		v, err := s.verify(ctx, []byte(l.Document))
		if err != nil {
			return nil, err
		}
		out = append(out, CaseLicence{MaterialType: m.Type, Licence: l, Verdict: v})
	}
	if actor.Role == auth.RoleApplicant || len(out) == 0 {
		return out, nil
	}
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		for _, cl := range out {
			if err := s.recordUse(ctx, tx, actor, cl.Licence.ID, c.ID, cl.MaterialType, "view", purpose); err != nil {
				return err
			}
			if err := auth.Record(ctx, tx, s.Now(), actor, "licence.use", "licence:"+Ref(cl.Licence.Number, cl.Licence.Version),
				map[string]any{"case": c.Number, "material": cl.MaterialType, "purpose": purpose}); err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}
