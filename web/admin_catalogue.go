package web

import (
	"bytes"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/catalog"
)

// The whole catalogue as a file, as provinces exchange it: the Excel
// workbook of `onewindow catalog export --format xlsx`, downloaded from and
// uploaded to the items page.

// exportCatalogue sends the published catalogue as a workbook.
func (w *Web) exportCatalogue(rw http.ResponseWriter, r *http.Request, s *session) error {
	var buf bytes.Buffer
	if err := w.Catalog.ExportXLSX(r.Context(), &buf); err != nil {
		return err
	}
	rw.Header().Set("Content-Type", catalog.XLSXContentType)
	rw.Header().Set("Content-Disposition", `attachment; filename="`+catalog.XLSXFileName+`"`)
	rw.Header().Set("Cache-Control", "no-store")
	_, err := buf.WriteTo(rw)
	return err
}

// importCatalogue loads an uploaded workbook (or a JSON catalogue) in one
// transaction with its audit record; a file with any error imports nothing,
// and the page lists every problem with its sheet, cell and column.
func (w *Web) importCatalogue(rw http.ResponseWriter, r *http.Request, s *session) error {
	fail := func(err error) error {
		// The page again, with its first page of published items and the problems.
		d := adminItemsData{Status: catalog.StatusPublished}
		var lerr error
		if d.Items, d.Total, lerr = w.Catalog.Search(r.Context(), catalog.Filter{Status: d.Status, Limit: casesPerPage}); lerr != nil {
			return lerr
		}
		if d.Depts, lerr = w.Catalog.DepartmentsByCode(r.Context()); lerr != nil {
			return lerr
		}
		d.PrevURL, d.NextURL = pager("/admin/items?status="+d.Status+"&", 0, len(d.Items), d.Total)
		return w.renderForm(rw, r, s, "admin_items", "admin_items.title", d, placedErrors(err))
	}
	if r.MultipartForm == nil || len(r.MultipartForm.File["file"]) == 0 {
		return fail(apperr.Fields{apperr.Field("file", "required", apperr.M("请选择事项目录文件（.xlsx）", "choose a catalogue file (.xlsx)"))}.Err())
	}
	fh := r.MultipartForm.File["file"][0]
	f, err := fh.Open()
	if err != nil {
		return apperr.Wrap(err, "web: open catalogue file")
	}
	defer f.Close()
	body, err := io.ReadAll(io.LimitReader(f, w.MaxUpload+1))
	if err != nil {
		return apperr.Wrap(err, "web: read catalogue file")
	}
	if int64(len(body)) > w.MaxUpload {
		return fail(apperr.Fields{apperr.Field("file", "too_large", apperr.M(
			"文件超过上传大小上限，请用命令 onewindow catalog import 导入", "the file is larger than an upload may be; import it with onewindow catalog import"))}.Err())
	}
	parse := catalog.ParseXLSX
	if strings.EqualFold(filepath.Ext(fh.Filename), ".json") {
		parse = catalog.ParseJSON
	}
	c, err := parse(bytes.NewReader(body))
	if err != nil {
		return fail(err)
	}
	publish := r.PostFormValue("publish") == "true"
	rep, err := w.Catalog.Import(r.Context(), *s.User, c, publish)
	if err != nil {
		return fail(err)
	}
	status := catalog.StatusDraft
	if publish {
		status = catalog.StatusPublished
	}
	q := url.Values{"status": {status}, "imported": {strings.Join([]string{strconv.Itoa(rep.ItemsCreated),
		strconv.Itoa(rep.ItemsUpdated), strconv.Itoa(rep.ItemsUnchanged), strconv.Itoa(rep.Published)}, "-")}}
	http.Redirect(rw, r, "/admin/items?"+q.Encode(), http.StatusSeeOther)
	return nil
}

// placedErrors puts the place of each problem of an import (a cell such as
// "事项!I3:promised_limit_days", or a JSON line) in front of its message:
// the page lists messages, and without the place they would not say where.
func placedErrors(err error) error {
	ae := apperr.As(err)
	if len(ae.Fields) == 0 || ae.Code == apperr.Internal {
		return err
	}
	out := *ae
	out.Fields = make([]apperr.FieldError, len(ae.Fields))
	for i, f := range ae.Fields {
		if f.Field != "file" {
			f.Message = apperr.M(f.Field+"："+f.Message.ZH, f.Field+": "+f.Message.EN)
		}
		out.Fields[i] = f
	}
	return &out
}

// importedFlash reads the counts an import left in the address
// (?imported=created-updated-unchanged-published) for the page to show.
func importedFlash(l Lang, v string) string {
	parts := strings.Split(v, "-")
	if len(parts) != 4 {
		return ""
	}
	n := make([]any, 4)
	for i, p := range parts {
		k, err := strconv.Atoi(p)
		if err != nil || k < 0 {
			return ""
		}
		n[i] = k
	}
	return l.Tf("admin_items.imported", n...)
}
