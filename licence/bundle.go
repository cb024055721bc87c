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
	ref := Ref(l.Number, l.Version)
	for _, id := range siblings {
		m, ok, err := s.Cases.ProvideByReference(ctx, tx, auth.System, id, func(sc cases.Case, it catalog.Item) (cases.Material, bool) {
			return needsLicence(sc, it, l)
		})
		if err != nil {
			return err
		}
		if !ok {
			continue
		}
		if err := s.recordUse(ctx, tx, auth.System, l.ID, id, m.Type, useKindBundle, bundlePurpose); err != nil {
			return err
		}
		if err := auth.Record(ctx, tx, s.Now(), auth.System, "licence.bundle_reuse", "licence:"+ref,
			map[string]any{"bundle_case_id": *c.BundleCaseID, "from_case": c.Number, "case_id": id, "material": m.Type}); err != nil {
			return err
		}
	}
	return nil
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
