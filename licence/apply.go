package licence

import (
	"context"

	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/cases"
	"github.com/onewindow/onewindow/catalog"
)

// ItemOffers lists the materials of item that a valid licence actor holds
// can stand in for, before any case exists: the online application form
// offers each of them with a consent box instead of an upload. The holder
// is the applicant the case would have (the account's own identity or
// credit code), so an offer never names another person's licence.
func (s *Service) ItemOffers(ctx context.Context, actor auth.User, it catalog.Item) ([]Offer, error) {
	out := []Offer{}
	if actor.Role != auth.RoleApplicant {
		return out, nil
	}
	holder := cases.Applicant{Kind: actor.Kind, IDNumber: actor.IDNumber, CreditCode: actor.CreditCode}
	for _, m := range it.Materials {
		if m.Licence == "" {
			continue
		}
		l, ok, err := s.heldLicence(ctx, s.db, holder, m.Licence)
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, Offer{MaterialType: m.Type, MaterialName: m.Name, LicenceID: l.ID, Number: l.Number, Version: l.Version,
				TypeCode: l.TypeCode, TypeName: l.Content.TypeName, ValidTo: l.ValidTo})
		}
	}
	return out, nil
}
