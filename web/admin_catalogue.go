package web

import (
	"bytes"
	"context"
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
func (w *Web) exportCatalogue(ctx context.Context, c *call) (answer, error) {
	var buf bytes.Buffer
	if err := w.Catalog.ExportXLSX(ctx, &buf); err != nil {
		return nil, err
	}
	return download{ContentType: catalog.XLSXContentType, Name: catalog.XLSXFileName, Body: buf.Bytes()}, nil
}

// importCatalogue loads an uploaded workbook (or a JSON catalogue) in one
// transaction with its audit record; a file with any error imports nothing,
// and the page lists every problem with its sheet, cell and column.
func (w *Web) importCatalogue(ctx context.Context, c *call) (answer, error) {
	fail := func(err error) (answer, error) {
		// The page again, with its first page of published items and the problems.
		return reload(func() (answer, error) {
			d := adminItemsData{Status: catalog.StatusPublished}
			var err error
			if d.Items, d.Total, err = w.Catalog.Search(ctx, catalog.Filter{Status: d.Status, Limit: casesPerPage}); err != nil {
				return nil, err
			}
			if d.Depts, err = w.Catalog.DepartmentsByCode(ctx); err != nil {
				return nil, err
			}
			d.PrevURL, d.NextURL = pager("/admin/items?status="+d.Status+"&", 0, len(d.Items), d.Total)
			return page{Name: "admin_items", Title: "admin_items.title", Data: d}, nil
		}), placedErrors(err)
	}
	name, body, err := uploadedFile(c.R, "file", w.MaxUpload, apperr.M("请选择事项目录文件（.xlsx）", "choose a catalogue file (.xlsx)"),
		apperr.M("文件超过上传大小上限，请用命令 onewindow catalog import 导入", "the file is larger than an upload may be; import it with onewindow catalog import"))
	if err != nil {
		return fail(err)
	}
	parse := catalog.ParseXLSX
	if strings.EqualFold(filepath.Ext(name), ".json") {
		parse = catalog.ParseJSON
	}
	cat, err := parse(bytes.NewReader(body))
	if err != nil {
		return fail(err)
	}
	publish := c.Form("publish") == "true"
	rep, err := w.Catalog.Import(ctx, c.User, cat, publish)
	if err != nil {
		return fail(err)
	}
	status := catalog.StatusDraft
	if publish {
		status = catalog.StatusPublished
	}
	q := url.Values{"status": {status}, "imported": {strings.Join([]string{strconv.Itoa(rep.ItemsCreated),
		strconv.Itoa(rep.ItemsUpdated), strconv.Itoa(rep.ItemsUnchanged), strconv.Itoa(rep.Published)}, "-")}}
	return seeOther("/admin/items?" + q.Encode()), nil
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
