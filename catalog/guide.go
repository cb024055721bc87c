package catalog

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/filestore"
)

// The parts of an item's guide (办事指南) beyond its basic elements, after
// the provincial guides and GB/T 39046-2020: the steps (办理流程), the
// common questions (常见问题) and the downloadable forms (表格下载: the blank
// form, 空白表格, and a filled-in sample, 示例样表).

// Kinds of guide document.
const (
	DocBlank  = "blank"  // 空白表格
	DocSample = "sample" // 示例样表
)

// Limits of the guide's parts.
const (
	MaxSteps     = 20
	MaxQuestions = 30
	MaxDocuments = 20
	maxStepLen   = 500
	maxFAQLen    = 2000
)

// Question is one common question (常见问题) with its answer.
type Question struct {
	Q string `json:"q"`
	A string `json:"a"`
}

// GuideDocument is a form an applicant can download from the guide. The
// file is kept in the file store under its SHA-256, like uploads.
type GuideDocument struct {
	Kind        string `json:"kind"`               // blank | sample
	Name        string `json:"name"`               // 社会保险补贴申请表
	Material    string `json:"material,omitempty"` // the material type it is the form of
	FileHash    string `json:"file_hash"`
	ContentType string `json:"content_type"` // application/pdf, image/jpeg or image/png
	Size        int64  `json:"size"`
}

// guideContentTypes are the file types a guide document may have (those
// uploads accept, sniffed from the content).
var guideContentTypes = map[string]bool{"application/pdf": true, "image/jpeg": true, "image/png": true}

func (it *Item) normalizeGuide() {
	for i := range it.Steps {
		it.Steps[i] = cleanText(it.Steps[i])
	}
	if len(it.Steps) == 0 {
		it.Steps = nil
	}
	for i := range it.FAQ {
		it.FAQ[i].Q, it.FAQ[i].A = cleanText(it.FAQ[i].Q), cleanText(it.FAQ[i].A)
	}
	if len(it.FAQ) == 0 {
		it.FAQ = nil
	}
	for i := range it.Documents {
		d := &it.Documents[i]
		d.Kind, d.Name, d.Material = strings.TrimSpace(d.Kind), strings.TrimSpace(d.Name), strings.TrimSpace(d.Material)
		d.FileHash = strings.ToLower(strings.TrimSpace(d.FileHash))
	}
	if len(it.Documents) == 0 {
		it.Documents = nil
	}
}

func (it *Item) validateGuide(f *apperr.Fields) {
	if len(it.Steps) > MaxSteps {
		f.Add("steps", "too_many", apperr.M(fmt.Sprintf("办理流程不能超过 %d 步", MaxSteps), fmt.Sprintf("at most %d steps", MaxSteps)))
	}
	for i, s := range it.Steps {
		p := fmt.Sprintf("steps[%d]", i)
		checkGuideText(f, p, s, maxStepLen)
	}
	if len(it.FAQ) > MaxQuestions {
		f.Add("faq", "too_many", apperr.M(fmt.Sprintf("常见问题不能超过 %d 条", MaxQuestions), fmt.Sprintf("at most %d questions", MaxQuestions)))
	}
	for i, q := range it.FAQ {
		checkGuideText(f, fmt.Sprintf("faq[%d].q", i), q.Q, maxStepLen)
		checkGuideText(f, fmt.Sprintf("faq[%d].a", i), q.A, maxFAQLen)
	}
	if len(it.Documents) > MaxDocuments {
		f.Add("documents", "too_many", apperr.M(fmt.Sprintf("下载表格不能超过 %d 份", MaxDocuments), fmt.Sprintf("at most %d documents", MaxDocuments)))
	}
	for i, d := range it.Documents {
		p := fmt.Sprintf("documents[%d].", i)
		if d.Kind != DocBlank && d.Kind != DocSample {
			f.Add(p+"kind", "unknown_value", apperr.M("表格种类须为 blank（空白表格）或 sample（示例样表）", "kind must be blank or sample"))
		}
		checkName(f, p+"name", d.Name, true)
		if d.Material != "" && !it.hasMaterial(d.Material) {
			f.Add(p+"material", "unknown_value", apperr.M("本事项没有这种材料："+d.Material, "the item has no material of type "+d.Material))
		}
		if !filestore.ValidHash(d.FileHash) {
			f.Add(p+"file_hash", "invalid", apperr.M("文件摘要须为64位十六进制SHA-256", "file_hash must be a SHA-256 in 64 hex digits"))
		}
		if !guideContentTypes[d.ContentType] {
			f.Add(p+"content_type", "unknown_value", apperr.M("只接受PDF、JPEG或PNG文件", "only PDF, JPEG or PNG files are accepted"))
		}
		if d.Size <= 0 {
			f.Add(p+"size", "out_of_range", apperr.M("文件大小须大于0", "size must be positive"))
		}
	}
}

func (it *Item) hasMaterial(typ string) bool {
	for _, m := range it.Materials {
		if m.Type == typ {
			return true
		}
	}
	return false
}

func checkGuideText(f *apperr.Fields, field, v string, max int) {
	switch {
	case v == "":
		f.Add(field, "required", apperr.M("不能为空", "may not be empty"))
	case utf8.RuneCountInString(v) > max:
		f.Add(field, "too_long", apperr.M(fmt.Sprintf("不能超过 %d 个字", max), fmt.Sprintf("at most %d characters", max)))
	}
	checkText(f, field, v)
}

// Document returns the guide document with the given file hash.
func (it *Item) Document(hash string) (GuideDocument, bool) {
	for _, d := range it.Documents {
		if d.FileHash == hash {
			return d, true
		}
	}
	return GuideDocument{}, false
}
