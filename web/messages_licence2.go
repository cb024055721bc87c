package web

// licenceReuseMessages are the texts of 免提交 on the applicant's own pages:
// the consent offered on the online application form, and the materials a
// licence provided on the confirmation (see mergeMessages).
var licenceReuseMessages = map[string][2]string{
	"apply.licence_offer":      {"使用我的%s（编号 %s）代替上传，我同意承办部门调阅该电子证照", "Use my %s (No. %s) instead of uploading: I consent to the department reading this electronic licence"},
	"apply.licence_offer_hint": {"勾选后无需上传本材料；不勾选则请在下方上传文件。", "Ticked, this material needs no upload; unticked, upload a file below as usual."},
	"submitted.by_licence":     {"以电子证照提供（免提交）", "Provided by electronic licence (not handed in again)"},
	"submitted.licence_ref":    {"%s：电子证照 %s", "%s: electronic licence %s"},
}

func init() { mergeMessages(licenceReuseMessages) }
