package web

import (
	"html/template"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/catalog"
	"github.com/onewindow/onewindow/licence"
)

// Electronic licences (电子证照): verification by anyone, the holder's
// wallet with a printable licence and its signed document, and the
// administrators' 证照目录. The rules live in package licence.
func (w *Web) licenceRoutes() {
	if w.Licences == nil {
		w.Licences = licence.NewService(w.DB, w.Catalog, nil, w.Clock)
	}
	if w.Licences.Cases == nil {
		w.Licences.Cases = w.Cases
	}
	w.page("GET /verify/licence", public, w.licenceVerifyPage)
	w.page("POST /verify/licence", public, w.licenceVerifyDocument)
	w.page("GET /licences", applicants, w.walletPage)
	w.page("GET /licences/{id}", signedIn, w.licencePage)
	w.page("GET /licences/{id}/document", signedIn, w.licenceDownload)
	w.page("GET /cases/{id}/licences", signedIn, w.caseLicencesPage)
	w.page("GET /admin/licence-types", admins, w.licenceTypesPage)
	w.page("POST /admin/licence-types", admins, w.putLicenceType)
}

// licenceOffer is a 免提交 offer on the application form, with the licence
// type's English name for English pages.
type licenceOffer struct {
	licence.Offer
	TypeNameEN string
}

// licenceOffers are the materials of it that a licence the signed-in
// applicant holds can stand in for, by material type: the application
// form offers each with a consent box instead of an upload.
func (w *Web) licenceOffers(r *http.Request, s *session, it catalog.Item) (map[string]licenceOffer, error) {
	offers, err := w.Licences.ItemOffers(r.Context(), *s.User, it)
	if err != nil || len(offers) == 0 {
		return nil, err
	}
	types, err := w.Licences.Types(r.Context())
	if err != nil {
		return nil, err
	}
	out := make(map[string]licenceOffer, len(offers))
	for _, o := range offers {
		lo := licenceOffer{Offer: o}
		for _, t := range types {
			if t.Code == o.TypeCode {
				lo.TypeNameEN = t.NameEN
			}
		}
		out[o.MaterialType] = lo
	}
	return out, nil
}

type licenceVerifyData struct {
	Number, Code, Document string
	Verdict                *licence.Verdict
}

// Reason is the verdict's reason in the page's language.
func (d licenceVerifyData) Reason(l Lang) string {
	if d.Verdict == nil || d.Verdict.Valid {
		return ""
	}
	return l.Name(d.Verdict.Message, d.Verdict.MessageEN)
}

func (w *Web) licenceVerifyPage(rw http.ResponseWriter, r *http.Request, s *session) error {
	q := r.URL.Query()
	d := licenceVerifyData{Number: strings.TrimSpace(q.Get("number")), Code: strings.ToUpper(strings.TrimSpace(q.Get("code")))}
	if d.Number != "" || d.Code != "" {
		if len(d.Number) > 128 || len(d.Code) > 64 {
			return w.renderForm(rw, r, s, "licence_verify", "licence.verify_title", d,
				apperr.Fields{apperr.Field("number", "too_long", apperr.M("编号或核验码过长", "the number or code is too long"))}.Err())
		}
		v, err := w.Licences.Lookup(r.Context(), d.Number, d.Code)
		if err != nil {
			return err
		}
		d.Verdict = &v
	}
	return w.render(rw, r, s, http.StatusOK, "licence_verify", "licence.verify_title", d)
}

// licenceVerifyDocument checks a pasted or uploaded document.
func (w *Web) licenceVerifyDocument(rw http.ResponseWriter, r *http.Request, s *session) error {
	doc := r.PostFormValue("document")
	if f, _, err := r.FormFile("file"); err == nil {
		b, err := io.ReadAll(io.LimitReader(f, 1<<20))
		f.Close()
		if err != nil {
			return apperr.New(apperr.BadRequest, "form_unreadable", apperr.M("无法读取上传的文件", "could not read the uploaded file"))
		}
		if len(b) > 0 {
			doc = string(b)
		}
	}
	d := licenceVerifyData{Document: doc}
	if strings.TrimSpace(doc) == "" {
		return w.renderForm(rw, r, s, "licence_verify", "licence.verify_title", d,
			apperr.Fields{apperr.Field("document", "required", apperr.M("请粘贴或上传证照文件", "paste or upload a licence document"))}.Err())
	}
	v, err := w.Licences.VerifyDocument(r.Context(), []byte(doc))
	if err != nil {
		return err
	}
	d.Verdict = &v
	d.Document = ""
	return w.render(rw, r, s, http.StatusOK, "licence_verify", "licence.verify_title", d)
}

type walletData struct {
	Licences []licence.Licence
}

func (w *Web) walletPage(rw http.ResponseWriter, r *http.Request, s *session) error {
	list, err := w.Licences.Wallet(r.Context(), *s.User)
	if err != nil {
		return err
	}
	return w.render(rw, r, s, http.StatusOK, "licences", "licence.wallet_title", walletData{Licences: list})
}

func licenceID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, apperr.NotFoundf("licence_not_found", apperr.M("证照不存在", "no such licence"))
	}
	return id, nil
}

type licencePageData struct {
	licence.Licence
	QR     template.HTML
	QRURL  string
	Issuer string
}

// licencePage shows one licence as a printable A4 page; its QR code opens
// the public verification with the number and code filled in.
func (w *Web) licencePage(rw http.ResponseWriter, r *http.Request, s *session) error {
	id, err := licenceID(r)
	if err != nil {
		return err
	}
	l, err := w.Licences.Get(r.Context(), *s.User, id)
	if err != nil {
		return err
	}
	d := licencePageData{Licence: l, Issuer: l.Content.Issuer.Name}
	d.QRURL = w.publicBase(r) + "/verify/licence?" + url.Values{"number": {l.Number}, "code": {l.VerifyCode}}.Encode()
	if d.QR, err = qrSVG(d.QRURL, s.L.T("licence.qr_label")); err != nil {
		return err
	}
	return w.write(rw, r, s, http.StatusOK, "licence", &view{session: s, Title: l.Content.TypeName + " " + l.Number, Data: d})
}

func (w *Web) licenceDownload(rw http.ResponseWriter, r *http.Request, s *session) error {
	id, err := licenceID(r)
	if err != nil {
		return err
	}
	l, err := w.Licences.Get(r.Context(), *s.User, id)
	if err != nil {
		return err
	}
	rw.Header().Set("Content-Type", "application/json; charset=utf-8")
	rw.Header().Set("Content-Disposition", `attachment; filename="`+licence.FileName(l)+`"`)
	rw.Header().Set("Cache-Control", "no-store")
	_, err = rw.Write([]byte(l.Document))
	return err
}

type caseLicencesData struct {
	CaseID   int64
	Licences []licence.CaseLicence
}

// caseLicencesPage shows the licences that stand in for a case's materials
// (免提交): staff see the licence itself and its verdict now; each opening
// by staff is audited with its purpose.
func (w *Web) caseLicencesPage(rw http.ResponseWriter, r *http.Request, s *session) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return apperr.NotFoundf("case_not_found", apperr.M("案件不存在", "no such case"))
	}
	list, err := w.Licences.ForCaseMaterials(r.Context(), *s.User, id, r.URL.Query().Get("purpose"))
	if err != nil {
		return err
	}
	return w.render(rw, r, s, http.StatusOK, "case_licences", "licence.case_title", caseLicencesData{CaseID: id, Licences: list})
}
