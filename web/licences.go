package web

import (
	"context"
	"html/template"
	"io"
	"net/url"
	"strings"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/auth"
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
	licenceID := withID("licence_not_found", apperr.M("证照不存在", "no such licence"))
	w.handle("GET /verify/licence", public, w.licenceVerifyPage)
	w.handle("POST /verify/licence", public, w.licenceVerifyDocument)
	show(w, "GET /licences", applicants, "licences", "licence.wallet_title", w.walletPage)
	w.handle("GET /licences/{id}", signedIn, w.licencePage, licenceID)
	w.handle("GET /licences/{id}/document", signedIn, w.licenceDownload, licenceID)
	show(w, "GET /cases/{id}/licences", signedIn, "case_licences", "licence.case_title", w.caseLicencesPage, caseID)
	w.handle("GET /admin/licence-types", admins, w.licenceTypesPage)
	w.handle("POST /admin/licence-types", admins, w.putLicenceType)
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
func (w *Web) licenceOffers(ctx context.Context, u auth.User, it catalog.Item) (map[string]licenceOffer, error) {
	offers, err := w.Licences.ItemOffers(ctx, u, it)
	if err != nil || len(offers) == 0 {
		return nil, err
	}
	types, err := w.Licences.Types(ctx)
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

func (w *Web) licenceVerifyPage(ctx context.Context, c *call) (answer, error) {
	d := licenceVerifyData{Number: strings.TrimSpace(c.Query("number")), Code: strings.ToUpper(strings.TrimSpace(c.Query("code")))}
	p := page{Name: "licence_verify", Title: "licence.verify_title", Data: d}
	if d.Number != "" || d.Code != "" {
		if len(d.Number) > 128 || len(d.Code) > 64 {
			return p, apperr.Fields{apperr.Field("number", "too_long", apperr.M("编号或核验码过长", "the number or code is too long"))}.Err()
		}
		v, err := w.Licences.Lookup(ctx, d.Number, d.Code)
		if err != nil {
			return nil, err
		}
		d.Verdict = &v
	}
	p.Data = d
	return p, nil
}

// licenceVerifyDocument checks a pasted or uploaded document.
func (w *Web) licenceVerifyDocument(ctx context.Context, c *call) (answer, error) {
	doc := c.Form("document")
	if f, _, err := c.R.FormFile("file"); err == nil {
		b, err := io.ReadAll(io.LimitReader(f, 1<<20))
		f.Close()
		if err != nil {
			return nil, apperr.New(apperr.BadRequest, "form_unreadable", apperr.M("无法读取上传的文件", "could not read the uploaded file"))
		}
		if len(b) > 0 {
			doc = string(b)
		}
	}
	d := licenceVerifyData{Document: doc}
	if strings.TrimSpace(doc) == "" {
		return page{Name: "licence_verify", Title: "licence.verify_title", Data: d},
			apperr.Fields{apperr.Field("document", "required", apperr.M("请粘贴或上传证照文件", "paste or upload a licence document"))}.Err()
	}
	v, err := w.Licences.VerifyDocument(ctx, []byte(doc))
	if err != nil {
		return nil, err
	}
	d.Verdict = &v
	d.Document = ""
	return page{Name: "licence_verify", Title: "licence.verify_title", Data: d}, nil
}

type walletData struct {
	Licences []licence.Licence
}

func (w *Web) walletPage(ctx context.Context, c *call) (walletData, error) {
	list, err := w.Licences.Wallet(ctx, c.User)
	return walletData{Licences: list}, err
}

type licencePageData struct {
	licence.Licence
	QR     template.HTML
	QRURL  string
	Issuer string
}

// licencePage shows one licence as a printable A4 page; its QR code opens
// the public verification with the number and code filled in.
func (w *Web) licencePage(ctx context.Context, c *call) (answer, error) {
	l, err := w.Licences.Get(ctx, c.User, c.ID)
	if err != nil {
		return nil, err
	}
	d := licencePageData{Licence: l, Issuer: l.Content.Issuer.Name}
	d.QRURL = w.publicBase(c.R) + "/verify/licence?" + url.Values{"number": {l.Number}, "code": {l.VerifyCode}}.Encode()
	if d.QR, err = qrSVG(d.QRURL, c.L.T("licence.qr_label")); err != nil {
		return nil, err
	}
	return page{Name: "licence", TitleText: l.Content.TypeName + " " + l.Number, Data: d}, nil
}

func (w *Web) licenceDownload(ctx context.Context, c *call) (answer, error) {
	l, err := w.Licences.Get(ctx, c.User, c.ID)
	if err != nil {
		return nil, err
	}
	return download{ContentType: "application/json; charset=utf-8", Name: licence.FileName(l), Body: []byte(l.Document)}, nil
}

type caseLicencesData struct {
	CaseID   int64
	Licences []licence.CaseLicence
}

// caseLicencesPage shows the licences that stand in for a case's materials
// (免提交): staff see the licence itself and its verdict now; each opening
// by staff is audited with its purpose.
func (w *Web) caseLicencesPage(ctx context.Context, c *call) (caseLicencesData, error) {
	list, err := w.Licences.ForCaseMaterials(ctx, c.User, c.ID, c.Query("purpose"))
	return caseLicencesData{CaseID: c.ID, Licences: list}, err
}
