package licence

import (
	"context"

	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/cases"
	"github.com/onewindow/onewindow/catalog"
	"github.com/onewindow/onewindow/store"
)

// Inside a 一件事, a member's result that another member needs is passed on
// as 免提交: when a member case is issued with a licence, every other member
// of the same bundle application that asks for a material this licence type
// satisfies, and is not issued or ended yet, gets that material provided by
// reference to the new licence. Its 一次性告知 then no longer lists it, and
// a material accepted 容缺 (to follow) is made good.
//
// The consent is the bundle application itself: the applicant asked for
// the members together so that one builds on the other, and the licence
// goes only to members whose applicant is its holder. It is recorded like
// any other consent, in the register of uses (kind "bundle", purpose
// 一件事) and the audit log ("licence.bundle_reuse", naming the bundle
// case and both member cases), in the issuing transaction.
const (
	useKindBundle = "bundle"
	bundlePurpose = "一件事"
)

// passOn gives the licence l, just issued for member case c, to the other
// members of c's bundle that need it.
func (s *Service) passOn(ctx context.Context, tx *store.Tx, c cases.Case, l Licence) error {
	if s.Cases == nil || c.BundleCaseID == nil {
		return nil
	}
	siblings, err := cases.BundleSiblings(ctx, tx, c)
	if err != nil {
		return err
	}
	for _, id := range siblings {
		if err := s.giveTo(ctx, tx, *c.BundleCaseID, c.Number, l, id); err != nil {
			return err
		}
	}
	return nil
}

// OnMemberStart is the hook cases runs inside the transaction that starts
// member case c of a bundle, before c is accepted: a member waiting on a
// prerequisite starts after its siblings' licences may have been issued
// already, and it gets those it needs by reference, as passOn gives them
// to the members started earlier.
func (s *Service) OnMemberStart(ctx context.Context, tx *store.Tx, c cases.Case) error {
	if s.Cases == nil || c.BundleCaseID == nil {
		return nil
	}
	siblings, err := cases.BundleSiblings(ctx, tx, c)
	if err != nil || len(siblings) == 0 {
		return err
	}
	today := s.today()
	for _, id := range siblings {
		held, err := s.query(ctx, tx, `SELECT `+licenceColumns+` FROM licences WHERE case_id = ? AND status = ? ORDER BY version`, id, StatusValid)
		if err != nil {
			return err
		}
		for _, l := range held {
			if l.ValidTo != "" && l.ValidTo < today {
				continue
			}
			if err := s.giveTo(ctx, tx, *c.BundleCaseID, l.Content.CaseNumber, l, c.ID); err != nil {
				return err
			}
		}
	}
	return nil
}

// giveTo provides l, issued for member case number from of bundle case
// bundleID, to member case id when it needs it, recording the use and its
// audit record.
func (s *Service) giveTo(ctx context.Context, tx *store.Tx, bundleID int64, from string, l Licence, id int64) error {
	m, ok, err := s.Cases.ProvideByReference(ctx, tx, auth.System, id, func(sc cases.Case, it catalog.Item) (cases.Material, bool) {
		return needsLicence(sc, it, l)
	})
	if err != nil || !ok {
		return err
	}
	if err := s.recordUse(ctx, tx, auth.System, l.ID, id, m.Type, useKindBundle, bundlePurpose); err != nil {
		return err
	}
	return auth.Record(ctx, tx, s.Now(), auth.System, "licence.bundle_reuse", "licence:"+Ref(l.Number, l.Version),
		map[string]any{"bundle_case_id": bundleID, "from_case": from, "case_id": id, "material": m.Type})
}

// needsLicence picks the material of member sc that l stands in for: one
// its item says a licence of l's type satisfies, not already provided by a
// licence, of a case whose applicant holds l.
func needsLicence(sc cases.Case, it catalog.Item, l Licence) (cases.Material, bool) {
	if kind, id := holderOf(sc.Applicant); kind != l.HolderKind || id == "" || id != l.HolderID {
		return cases.Material{}, false
	}
	for _, im := range it.Materials {
		if im.Licence != l.TypeCode {
			continue
		}
		held := false
		for _, cm := range sc.Materials {
			held = held || (cm.Type == im.Type && cm.Source == cases.SourceLicence)
		}
		if !held {
			return cases.Material{Type: im.Type, Source: cases.SourceLicence, FileName: Ref(l.Number, l.Version)}, true
		}
	}
	return cases.Material{}, false
}

// ResultLicences maps each item whose result this server issues as a
// licence (its type's issuing department has a key here) to the licence's
// type code; set as catalog.Store.ResultLicences at wiring, it lets a
// bundle's guide leave out the materials one member's result provides.
func (s *Service) ResultLicences(ctx context.Context) (map[string]string, error) {
	out := map[string]string{}
	if s.Keys == nil {
		return out, nil
	}
	types, err := s.listTypes(ctx, s.db)
	if err != nil {
		return nil, err
	}
	for _, t := range types {
		if _, err := s.Keys.Current(t.DepartmentCode); err != nil {
			continue
		}
		for _, it := range t.Items {
			out[it] = t.Code
		}
	}
	return out, nil
}
