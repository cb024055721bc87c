package api

import (
	"embed"
	"html/template"
	"net/http"
	"strings"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/cases"
	"github.com/onewindow/onewindow/catalog"
	"github.com/onewindow/onewindow/langmark"
)

//go:embed templates/*.html
var templateFiles embed.FS

var documentTemplate = template.Must(template.New("document.html").Funcs(template.FuncMap{
	"requirement": func(req string) string {
		switch req {
		case catalog.Required:
			return "必要 / required"
		case catalog.Waivable:
			return "容缺 / may follow"
		}
		return "非必要 / optional"
	},
	"method": func(m string) string {
		switch m {
		case cases.IssueAtWindow:
			return "窗口领取 / at the window"
		case cases.IssueByPost:
			return "邮寄送达 / by post"
		case cases.IssueElectronic:
			return "电子送达 / electronically"
		}
		return m
	},
	"decision": func(s cases.State) string {
		if s == cases.Refused {
			return "不予办理 / refused"
		}
		return "准予办理 / approved"
	},
}).ParseFS(templateFiles, "templates/document.html"))

type documentPage struct {
	cases.Document
	English   bool
	VerifyURL string
}

// renderDocument writes a printable A4 page of a notice.
func renderDocument(w http.ResponseWriter, r *http.Request, d cases.Document) error {
	p := documentPage{Document: d, English: strings.HasPrefix(lang(r), "en")}
	if d.VerifyCode != "" {
		p.VerifyURL = "/api/v1/verify/" + d.VerifyCode
	}
	var b strings.Builder
	if err := documentTemplate.Execute(&b, p); err != nil {
		return apperr.Wrap(err, "api: render document")
	}
	pageLang := langmark.Chinese
	if p.English {
		pageLang = langmark.English
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write(langmark.Mark([]byte(b.String()), pageLang))
	return nil
}
