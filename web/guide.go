package web

import (
	"context"
	"net/url"
	"strconv"
	"strings"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/catalog"
	"github.com/onewindow/onewindow/filestore"
)

// The item guide's downloads (空白表格, 示例样表), and the administrator's page
// where a guide's steps, common questions and downloads are written: saved
// as the item's draft, published with it.

// itemDocument sends a form of a published item's guide, as a download.
func (w *Web) itemDocument(ctx context.Context, c *call) (answer, error) {
	it, err := w.Catalog.Published(ctx, c.Path("code"))
	if err != nil {
		return nil, err
	}
	doc, ok := it.Document(c.Path("hash"))
	if !ok {
		return nil, apperr.NotFoundf("file_not_found", apperr.M("没有这份表格", "no such form"))
	}
	return storedFile{Hash: doc.FileHash, ContentType: doc.ContentType, Modified: it.CreatedAt, Cache: "public, max-age=3600",
		Download: doc.Name + filestore.Accepted[doc.ContentType]}, nil
}

// guideDocs are an item's downloads in the order of its materials: each
// material's blank form and sample, then those of no material.
type guideDocs struct {
	ByMaterial map[string][]catalog.GuideDocument
	Other      []catalog.GuideDocument
}

func docsOf(it *catalog.Item) guideDocs {
	g := guideDocs{ByMaterial: map[string][]catalog.GuideDocument{}}
	for _, d := range it.Documents {
		if d.Material != "" {
			g.ByMaterial[d.Material] = append(g.ByMaterial[d.Material], d)
		} else {
			g.Other = append(g.Other, d)
		}
	}
	return g
}

// adminGuideData is the administrator's page of an item's guide parts.
type adminGuideData struct {
	Item  catalog.Item
	Steps string // one step a line
	FAQ   string // a question on its first line, its answer on the next ones; a blank line between
	Kind  string
	Name  string
	Mat   string
}

func guideText(it *catalog.Item) (steps, faq string) {
	steps = strings.Join(it.Steps, "\n")
	var b []string
	for _, q := range it.FAQ {
		b = append(b, q.Q+"\n"+q.A)
	}
	return steps, strings.Join(b, "\n\n")
}

// parseFAQ reads the questions written on the page (see adminGuideData.FAQ).
func parseFAQ(s string) ([]catalog.Question, error) {
	var out []catalog.Question
	s = strings.ReplaceAll(s, "\r\n", "\n")
	for _, block := range strings.Split(s, "\n\n") {
		block = strings.TrimSpace(block)
		if block == "" {
			continue
		}
		q, a, _ := strings.Cut(block, "\n")
		if strings.TrimSpace(a) == "" {
			return nil, apperr.Fields{apperr.Field("faq", "answer_missing", apperr.M("问题“"+q+"”没有回答：问题写在第一行，回答写在下面几行",
				"the question “"+q+"” has no answer: write the question on its first line and the answer below it"))}.Err()
		}
		out = append(out, catalog.Question{Q: strings.TrimSpace(q), A: strings.TrimSpace(a)})
	}
	return out, nil
}

func (w *Web) adminGuideItem(ctx context.Context, c *call) (catalog.Item, error) {
	versions, err := w.Catalog.Versions(ctx, c.Path("code"))
	if err != nil {
		return catalog.Item{}, err
	}
	return versions[0], nil
}

func adminGuidePageOf(l Lang, d adminGuideData) page {
	return page{Name: "admin_guide", TitleText: l.T("adminguide.title") + " " + d.Item.Name, Data: d}
}

func (w *Web) adminGuidePage(ctx context.Context, c *call) (answer, error) {
	it, err := w.adminGuideItem(ctx, c)
	if err != nil {
		return nil, err
	}
	d := adminGuideData{Item: it, Kind: catalog.DocBlank}
	d.Steps, d.FAQ = guideText(&it)
	p := adminGuidePageOf(c.L, d)
	p.Flash = c.Flash(map[string]string{"saved": "adminguide.saved"})
	return p, nil
}

// adminGuideSave saves the steps and questions, attaches a form (kept in
// the file store) or removes one, each as the item's draft.
func (w *Web) adminGuideSave(ctx context.Context, c *call) (answer, error) {
	it, err := w.adminGuideItem(ctx, c)
	if err != nil {
		return nil, err
	}
	d := adminGuideData{Item: it, Kind: c.Form("kind"), Name: c.Trim("name"), Mat: c.Form("material")}
	d.Steps, d.FAQ = guideText(&it)
	// The form shown again keeps the item as it was read.
	again := func() answer { return adminGuidePageOf(c.L, d) }
	switch c.Form("part") {
	case "text":
		d.Steps, d.FAQ = c.Form("steps"), c.Form("faq")
		it.Steps = nil
		for _, line := range strings.Split(strings.ReplaceAll(d.Steps, "\r\n", "\n"), "\n") {
			if line = strings.TrimSpace(line); line != "" {
				it.Steps = append(it.Steps, line)
			}
		}
		faq, err := parseFAQ(d.FAQ)
		if err != nil {
			return again(), err
		}
		it.FAQ = faq
	case "attach":
		up, err := w.readUpload(c.R, "file")
		if err == nil && up == nil {
			err = apperr.Fields{apperr.Field("file", "required", apperr.M("请选择要上传的文件", "choose a file to upload"))}.Err()
		}
		if err != nil {
			return again(), err
		}
		if err := w.storeFile(up); err != nil {
			return nil, err
		}
		it.Documents = append(it.Documents, catalog.GuideDocument{Kind: d.Kind, Name: d.Name, Material: d.Mat,
			FileHash: up.FileHash, ContentType: up.ContentType, Size: up.Size})
	case "remove":
		hash := c.Form("hash")
		for i, doc := range it.Documents {
			if doc.FileHash == hash {
				it.Documents = append(it.Documents[:i:i], it.Documents[i+1:]...)
				break
			}
		}
	default:
		return again(), apperr.Fields{apperr.Field("part", "unknown", apperr.M("未知的操作", "unknown action"))}.Err()
	}
	if _, err := w.Catalog.SaveDraft(ctx, c.User, it); err != nil {
		return again(), err
	}
	return seeOther("/admin/items/" + url.PathEscape(it.Code) + "/guide?done=saved"), nil
}

// FileKind names a download's type.
func (l Lang) FileKind(contentType string) string {
	switch contentType {
	case "application/pdf":
		return "PDF"
	case "image/jpeg":
		return "JPEG"
	case "image/png":
		return "PNG"
	}
	return contentType
}

// FileSize writes a file's size in KB (at least 1).
func (l Lang) FileSize(n int64) string {
	return strconv.FormatInt(max((n+1023)/1024, 1), 10) + " KB"
}
