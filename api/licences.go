package api

import (
	"context"
	"net/http"
	"strings"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/cases"
	"github.com/onewindow/onewindow/licence"
)

// Electronic licences (电子证照): the 证照目录, the published keys,
// verification by anyone, the holder's wallet, corrections and revocation.
// The rules live in package licence.
func (s *Server) registerLicenceRoutes() {
	if s.Licences == nil {
		s.Licences = licence.NewService(s.DB, s.Catalog, nil, s.Clock)
	}
	if s.Licences.Cases == nil {
		s.Licences.Cases = s.Cases
	}
	s.handle("GET", "/api/v1/licence-types", false, serve(http.StatusOK, nil, s.licenceTypes))
	s.handle("PUT", "/api/v1/licence-types/{code}", true, serve(http.StatusOK, admins, s.putLicenceType))
	s.handle("GET", "/api/v1/licence-keys", false, serve(http.StatusOK, nil, s.licenceKeys))
	s.handle("POST", "/api/v1/licences/verify", false, s.verifyLicenceDocument)
	s.handle("GET", "/api/v1/licences/verify", false, serve(http.StatusOK, nil, s.lookupLicence))
	s.handle("GET", "/api/v1/licences", true, serve(http.StatusOK, nil, s.wallet))
	s.handle("GET", "/api/v1/licences/{id}", true, serve(http.StatusOK, nil, s.getLicence))
	s.handle("GET", "/api/v1/licences/{id}/document", true, s.licenceDocument)
	s.handle("POST", "/api/v1/licences/{id}/revoke", true, serve(http.StatusOK, nil, s.revokeLicence))
	s.handle("POST", "/api/v1/licences/{id}/corrections", true, serve(http.StatusCreated, nil, s.correctLicence))
	s.handle("GET", "/api/v1/licence-figures", true, serve(http.StatusOK, admins, s.licenceFigures))
	// 免提交 on a case.
	s.handle("GET", "/api/v1/cases/{id}/licence-offers", true, serve(http.StatusOK, nil, s.licenceOffers))
	s.handle("POST", "/api/v1/cases/{id}/licence-materials", true, serve(http.StatusOK, nil, s.useLicence))
	s.handle("GET", "/api/v1/cases/{id}/licences", true, serve(http.StatusOK, nil, s.caseLicences))
}

func (s *Server) licenceOffers(ctx context.Context, c call[noBody]) (page[licence.Offer], error) {
	list, err := s.Licences.Offers(ctx, c.Actor, c.ID)
	return page[licence.Offer]{Items: list, Total: len(list), Limit: len(list)}, err
}

func (s *Server) useLicence(ctx context.Context, c call[licence.UseRequest]) (cases.Case, error) {
	return s.Licences.Use(ctx, c.Actor, c.ID, c.In)
}

func (s *Server) caseLicences(ctx context.Context, c call[noBody]) (page[licence.CaseLicence], error) {
	list, err := s.Licences.ForCaseMaterials(ctx, c.Actor, c.ID, c.R.URL.Query().Get("purpose"))
	return page[licence.CaseLicence]{Items: list, Total: len(list), Limit: len(list)}, err
}

func (s *Server) licenceTypes(ctx context.Context, c call[noBody]) (page[licence.Type], error) {
	list, err := s.Licences.Types(ctx)
	return page[licence.Type]{Items: list, Total: len(list), Limit: len(list)}, err
}

func (s *Server) putLicenceType(ctx context.Context, c call[licence.Type]) (licence.Type, error) {
	code := c.R.PathValue("code")
	if c.In.Code == "" {
		c.In.Code = code
	}
	if strings.TrimSpace(c.In.Code) != code {
		return licence.Type{}, apperr.Fields{apperr.Field("code", "mismatch", apperr.M("证照类型代码与地址不符", "code differs from the address"))}.Err()
	}
	return s.Licences.PutType(ctx, c.Actor, c.In)
}

func (s *Server) licenceKeys(ctx context.Context, c call[noBody]) (licence.KeySet, error) {
	return s.Licences.PublicKeys()
}

// verifyLicenceDocument checks a document as sent: its bytes are what was
// signed, so the body is read as it is, not decoded and re-encoded.
func (s *Server) verifyLicenceDocument(w http.ResponseWriter, r *http.Request) error {
	body, err := readJSONBody(w, r)
	if err != nil {
		return err
	}
	v, err := s.Licences.VerifyDocument(r.Context(), body)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, v)
	return nil
}

func (s *Server) lookupLicence(ctx context.Context, c call[noBody]) (licence.Verdict, error) {
	q := c.R.URL.Query()
	return s.Licences.Lookup(ctx, q.Get("number"), q.Get("code"))
}

func (s *Server) wallet(ctx context.Context, c call[noBody]) (page[licence.Licence], error) {
	list, err := s.Licences.Wallet(ctx, c.Actor)
	return page[licence.Licence]{Items: list, Total: len(list), Limit: len(list)}, err
}

func (s *Server) getLicence(ctx context.Context, c call[noBody]) (licence.Licence, error) {
	return s.Licences.Get(ctx, c.Actor, c.ID)
}

// licenceDocument downloads the signed document exactly as issued.
func (s *Server) licenceDocument(w http.ResponseWriter, r *http.Request) error {
	u, _ := actor(r)
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	l, err := s.Licences.Get(r.Context(), u, id)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+licence.FileName(l)+`"`)
	w.WriteHeader(http.StatusOK)
	_, err = w.Write([]byte(l.Document))
	return err
}

type revokeInput struct {
	Reason string `json:"reason"`
}

func (s *Server) revokeLicence(ctx context.Context, c call[revokeInput]) (licence.Licence, error) {
	return s.Licences.Revoke(ctx, c.Actor, c.ID, c.In.Reason)
}

func (s *Server) correctLicence(ctx context.Context, c call[licence.Correction]) (licence.Licence, error) {
	return s.Licences.Correct(ctx, c.Actor, c.ID, c.In)
}

func (s *Server) licenceFigures(ctx context.Context, c call[noBody]) (licence.Figures, error) {
	return s.Licences.MonthFigures(ctx, c.Actor, c.R.URL.Query().Get("month"))
}
